//! Accounts and privileges as plain data: who exists, what each was granted, which grant
//! allows a need, and the `SHOW GRANTS` / dump lines. The engine enforces with these rules;
//! the snapshot keeps them; the page shows the acting account.
//!
//! The model follows MySQL 8 (and MariaDB 10.11, where the conformance suite was recorded):
//! privileges are held at four levels — global (`*.*`), a database (`db.*`), a table
//! (`db.t`) and columns of a table (`SELECT (a, b) ON db.t`) — and a need is met by a grant at
//! its own level or any level above it. `'root'@'localhost'` is the playground's
//! administrator: it holds every privilege, cannot lose them and cannot be dropped, so a
//! learner can always switch back to it.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::ops::Range;

/// `'user'@'host'`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct AccountName {
    pub user: String,
    pub host: String,
}

impl AccountName {
    pub fn new(user: impl Into<String>, host: impl Into<String>) -> Self {
        Self {
            user: user.into(),
            host: host.into(),
        }
    }

    /// The administrator every session starts as.
    pub fn root() -> Self {
        Self::new("root", "localhost")
    }

    pub fn is_root(&self) -> bool {
        *self == Self::root()
    }

    /// `'user'@'host'`, as errors and the SQL write it.
    pub fn quoted(&self) -> String {
        format!(
            "'{}'@'{}'",
            quote_inner(&self.user),
            quote_inner(&self.host)
        )
    }

    /// `` `user`@`host` ``, as `SHOW GRANTS` writes it.
    pub fn backquoted(&self) -> String {
        format!(
            "`{}`@`{}`",
            self.user.replace('`', "``"),
            self.host.replace('`', "``")
        )
    }
}

impl fmt::Display for AccountName {
    /// `user@host`, as `CURRENT_USER()` returns it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}@{}", self.user, self.host)
    }
}

/// `mysql_native_password`'s hash: `*` and the upper-case hex of SHA1(SHA1(password)).
pub fn password_hash(password: &str) -> String {
    use sha1::{Digest, Sha1};
    use std::fmt::Write;
    let twice = Sha1::digest(Sha1::digest(password.as_bytes()));
    let mut s = String::with_capacity(41);
    s.push('*');
    for b in twice {
        let _ = write!(s, "{b:02X}");
    }
    s
}

/// Whether `s` is a `mysql_native_password` hash: `*` and 40 hex digits.
pub fn is_password_hash(s: &str) -> bool {
    s.len() == 41 && s.starts_with('*') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// A token of the account statements, read by sqlnori itself: sqlparser 0.52's tokenizer reads
/// `'kim'@'%'` as a variable and loses the quotes after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AccountToken {
    /// An unquoted word (keyword or name).
    Word(String),
    /// `'…'` or `"…"`, unescaped.
    Str(String),
    /// `` `…` ``, unescaped.
    Quoted(String),
    Punct(char),
}

/// The tokens of `sql` with their byte ranges, blanks and comments skipped; `Err(quote)` when a
/// quote is never closed.
pub fn account_tokens(sql: &str) -> Result<Vec<(AccountToken, Range<usize>)>, char> {
    match tokens_until_unclosed(sql, usize::MAX) {
        (tokens, None) => Ok(tokens),
        (_, Some(quote)) => Err(quote),
    }
}

/// The first words of `sql`, upper-cased, up to `n` (what decides which statement it is, even
/// when a quote later in it is never closed).
pub fn leading_words(sql: &str, n: usize) -> Vec<String> {
    // Only the first `n` tokens are read: this runs before every statement, and a long
    // INSERT's values need not be tokenized for it.
    tokens_until_unclosed(sql, n)
        .0
        .into_iter()
        .map(|(t, _)| match t {
            AccountToken::Word(w) => w.to_ascii_uppercase(),
            _ => String::new(),
        })
        .collect()
}

type Tokens = Vec<(AccountToken, Range<usize>)>;

/// The tokens up to a quote that is never closed, and that quote; at most `limit` tokens.
fn tokens_until_unclosed(sql: &str, limit: usize) -> (Tokens, Option<char>) {
    let mut out = Vec::new();
    let mut chars = sql.char_indices().peekable();
    let word_char = |c: char| c.is_alphanumeric() || matches!(c, '_' | '$' | '%');
    while let Some(&(at, c)) = chars.peek() {
        if out.len() >= limit {
            break;
        }
        let next = sql[at + c.len_utf8()..].chars().next();
        if c.is_whitespace() {
            chars.next();
        } else if c == '#' || (c == '-' && next == Some('-')) {
            while chars.next().is_some_and(|(_, c)| c != '\n') {}
        } else if c == '/' && next == Some('*') {
            chars.next();
            chars.next();
            let mut prev = ' ';
            for (_, c) in chars.by_ref() {
                if prev == '*' && c == '/' {
                    break;
                }
                prev = c;
            }
        } else if matches!(c, '\'' | '"' | '`') {
            chars.next();
            let mut text = String::new();
            let end = loop {
                match chars.next() {
                    None => return (out, Some(c)),
                    Some((_, '\\')) if c != '`' => {
                        if let Some((_, e)) = chars.next() {
                            text.push(match e {
                                'n' => '\n',
                                't' => '\t',
                                '0' => '\0',
                                other => other,
                            });
                        }
                    }
                    Some((i, q)) if q == c => {
                        if chars.peek().is_some_and(|&(_, n)| n == c) {
                            chars.next();
                            text.push(c);
                        } else {
                            break i + 1;
                        }
                    }
                    Some((_, other)) => text.push(other),
                }
            };
            let token = if c == '`' {
                AccountToken::Quoted(text)
            } else {
                AccountToken::Str(text)
            };
            out.push((token, at..end));
        } else if word_char(c) {
            let mut end = at;
            let mut word = String::new();
            while let Some(&(i, c)) = chars.peek().filter(|(_, c)| word_char(*c)) {
                word.push(c);
                end = i + c.len_utf8();
                chars.next();
            }
            out.push((AccountToken::Word(word), at..end));
        } else {
            chars.next();
            out.push((AccountToken::Punct(c), at..at + c.len_utf8()));
        }
    }
    (out, None)
}

/// `script` with every password written in clear replaced by its hash, in forms that set the
/// same password when run: `IDENTIFIED BY 'pw'` becomes `IDENTIFIED BY PASSWORD '*…'`,
/// `IDENTIFIED WITH plugin BY 'pw'` becomes `… AS '*…'`, and `SET PASSWORD … = 'pw'` or
/// `= PASSWORD('pw')` becomes `= '*…'`. `None` when there is none (or a quote is never
/// closed). What a share link, the history and the stored log of writes carry, so none holds a
/// learner's password.
pub fn redact_passwords(script: &str) -> Option<String> {
    use AccountToken::{Punct, Str, Word};
    // Every form redacted says IDENTIFIED or PASSWORD: a script with neither (a long INSERT)
    // is not tokenized at all.
    let says = |word| crate::lexer::mentions(script, word);
    if !says("identified") && !says("password") {
        return None;
    }
    let tokens = account_tokens(script).ok()?;
    let word = |k: usize| match tokens.get(k) {
        Some((Word(w), _)) => Some(w.to_ascii_uppercase()),
        _ => None,
    };
    let text = |k: usize| match tokens.get(k) {
        Some((Str(s), _)) => Some(s.as_str()),
        _ => None,
    };
    let is = |k: usize, c: char| matches!(tokens.get(k), Some((Punct(p), _)) if *p == c);
    let mut edits: Vec<(Range<usize>, String)> = Vec::new();
    let mut statement_start = 0;
    for k in 0..tokens.len() {
        if is(k, ';') {
            statement_start = k + 1;
            continue;
        }
        if word(k).as_deref() == Some("BY") {
            let after_identified = k >= 1 && word(k - 1).as_deref() == Some("IDENTIFIED");
            let after_plugin = k >= 3
                && word(k - 3).as_deref() == Some("IDENTIFIED")
                && word(k - 2).as_deref() == Some("WITH");
            if let (true, Some(pw)) = (after_identified || after_plugin, text(k + 1)) {
                let hash = password_hash(pw);
                let end = tokens[k + 1].1.end;
                edits.push(if after_plugin {
                    (tokens[k].1.start..end, format!("AS '{hash}'"))
                } else {
                    (tokens[k + 1].1.start..end, format!("PASSWORD '{hash}'"))
                });
            }
        }
        let set_password = word(statement_start).as_deref() == Some("SET")
            && word(statement_start + 1).as_deref() == Some("PASSWORD");
        if set_password && is(k, '=') {
            if let Some(pw) = text(k + 1).filter(|pw| !is_password_hash(pw)) {
                let range = tokens[k + 1].1.clone();
                edits.push((range, format!("'{}'", password_hash(pw))));
            } else if word(k + 1).as_deref() == Some("PASSWORD") && is(k + 2, '(') && is(k + 4, ')')
            {
                if let Some(pw) = text(k + 3) {
                    let range = tokens[k + 1].1.start..tokens[k + 4].1.end;
                    edits.push((range, format!("'{}'", password_hash(pw))));
                }
            }
        }
    }
    if edits.is_empty() {
        return None;
    }
    let mut out = script.to_owned();
    for (range, replacement) in edits.into_iter().rev() {
        out.replace_range(range, &replacement);
    }
    Some(out)
}

fn quote_inner(s: &str) -> String {
    s.replace('\\', "\\\\").replace('\'', "\\'")
}

/// A privilege sqlnori models, in the order `SHOW GRANTS` lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Privilege {
    Select,
    Insert,
    Update,
    Delete,
    Create,
    Drop,
    References,
    Index,
    Alter,
    CreateView,
    ShowView,
    CreateUser,
    /// `WITH GRANT OPTION`: may pass on the privileges held at the same level.
    GrantOption,
}

impl Privilege {
    pub const ALL: [Privilege; 13] = [
        Privilege::Select,
        Privilege::Insert,
        Privilege::Update,
        Privilege::Delete,
        Privilege::Create,
        Privilege::Drop,
        Privilege::References,
        Privilege::Index,
        Privilege::Alter,
        Privilege::CreateView,
        Privilege::ShowView,
        Privilege::CreateUser,
        Privilege::GrantOption,
    ];

    /// The name as SQL writes it.
    pub fn sql(self) -> &'static str {
        match self {
            Privilege::Select => "SELECT",
            Privilege::Insert => "INSERT",
            Privilege::Update => "UPDATE",
            Privilege::Delete => "DELETE",
            Privilege::Create => "CREATE",
            Privilege::Drop => "DROP",
            Privilege::References => "REFERENCES",
            Privilege::Index => "INDEX",
            Privilege::Alter => "ALTER",
            Privilege::CreateView => "CREATE VIEW",
            Privilege::ShowView => "SHOW VIEW",
            Privilege::CreateUser => "CREATE USER",
            Privilege::GrantOption => "GRANT OPTION",
        }
    }

    /// Reads a privilege's words (`["CREATE", "VIEW"]`), upper case.
    pub fn from_words(words: &[&str]) -> Option<Privilege> {
        Some(match words {
            ["SELECT"] => Privilege::Select,
            ["INSERT"] => Privilege::Insert,
            ["UPDATE"] => Privilege::Update,
            ["DELETE"] => Privilege::Delete,
            ["CREATE"] => Privilege::Create,
            ["DROP"] => Privilege::Drop,
            ["REFERENCES"] => Privilege::References,
            ["INDEX"] => Privilege::Index,
            ["ALTER"] => Privilege::Alter,
            ["CREATE", "VIEW"] => Privilege::CreateView,
            ["SHOW", "VIEW"] => Privilege::ShowView,
            ["CREATE", "USER"] => Privilege::CreateUser,
            ["GRANT", "OPTION"] => Privilege::GrantOption,
            _ => return None,
        })
    }

    /// Whether it can be granted at `level` (CREATE USER only globally; only SELECT, INSERT,
    /// UPDATE and REFERENCES on columns).
    pub fn valid_at(self, level: Level) -> bool {
        match level {
            Level::Global => true,
            Level::Database | Level::Table => self != Privilege::CreateUser,
            Level::Column => matches!(
                self,
                Privilege::Select | Privilege::Insert | Privilege::Update | Privilege::References
            ),
        }
    }

    /// What `ALL [PRIVILEGES]` means at `level` (without GRANT OPTION, which ALL leaves out).
    pub fn all_at(level: Level) -> BTreeSet<Privilege> {
        Self::ALL
            .into_iter()
            .filter(|p| *p != Privilege::GrantOption && p.valid_at(level))
            .collect()
    }
}

/// Where a privilege holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Global,
    Database,
    Table,
    Column,
}

/// What a grant is on: `*.*`, `db.*` or `db.t`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Global,
    Database(String),
    Table { db: String, table: String },
}

impl Scope {
    pub fn level(&self) -> Level {
        match self {
            Scope::Global => Level::Global,
            Scope::Database(_) => Level::Database,
            Scope::Table { .. } => Level::Table,
        }
    }

    /// `*.*`, `` `db`.* ``, `` `db`.`t` ``.
    pub fn sql(&self) -> String {
        match self {
            Scope::Global => "*.*".to_owned(),
            Scope::Database(db) => format!("{}.*", backquote(db)),
            Scope::Table { db, table } => format!("{}.{}", backquote(db), backquote(table)),
        }
    }

    /// Whether a grant on `self` covers an object in `db` (and `table`).
    fn covers(&self, db: &str, table: Option<&str>) -> bool {
        match self {
            Scope::Global => true,
            Scope::Database(d) => same_name(d, db),
            Scope::Table { db: d, table: t } => {
                same_name(d, db) && table.is_some_and(|table| same_name(t, table))
            }
        }
    }
}

fn backquote(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

/// Database and table names compare as MySQL's on a case-insensitive file system would not:
/// sqlnori's names are case-sensitive like Linux MySQL's, so grants are too.
fn same_name(a: &str, b: &str) -> bool {
    a == b
}

/// An account (or, one day, a role) and its password's hash.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub name: AccountName,
    /// `mysql_native_password`'s `*` + 40 hex digits; never the password itself.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password_hash: Option<String>,
}

/// The privileges one account holds on one scope.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Privileges {
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub privileges: BTreeSet<Privilege>,
    /// Table scopes only: privilege → the columns it holds on.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub columns: BTreeMap<Privilege, BTreeSet<String>>,
}

impl Privileges {
    fn is_empty(&self) -> bool {
        self.privileges.is_empty() && self.columns.values().all(BTreeSet::is_empty)
    }
}

/// One row of grants: an account, a scope, what it holds there.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GrantRow {
    pub grantee: AccountName,
    pub scope: Scope,
    #[serde(flatten)]
    pub held: Privileges,
}

/// Every account and grant of a database (part of its snapshot).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Accounts {
    /// The accounts besides root, in the order they were created.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub accounts: Vec<Account>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub grants: Vec<GrantRow>,
}

/// Something a statement needs: a privilege on an object.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Need {
    pub privilege: Privilege,
    pub object: Object,
}

/// What a need is on.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Object {
    Global,
    Database(String),
    Table {
        db: String,
        table: String,
    },
    Column {
        db: String,
        table: String,
        column: String,
    },
}

impl Object {
    /// How the privilege-check step names it: `*.*`, `school.*`, `school.students`,
    /// `school.students.kor`.
    pub fn label(&self) -> String {
        match self {
            Object::Global => "*.*".to_owned(),
            Object::Database(db) => format!("{db}.*"),
            Object::Table { db, table } => format!("{db}.{table}"),
            Object::Column { db, table, column } => format!("{db}.{table}.{column}"),
        }
    }

    /// The narrowest scope a GRANT could give it on (columns are given on their table).
    pub fn scope(&self) -> Scope {
        match self {
            Object::Global => Scope::Global,
            Object::Database(db) => Scope::Database(db.clone()),
            Object::Table { db, table } | Object::Column { db, table, .. } => Scope::Table {
                db: db.clone(),
                table: table.clone(),
            },
        }
    }
}

/// Who is acting and who could: what the page's account switcher shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountStatus {
    pub acting: AccountName,
    /// Every account, root first.
    pub accounts: Vec<AccountName>,
}

impl Default for AccountStatus {
    fn default() -> Self {
        Self {
            acting: AccountName::root(),
            accounts: vec![AccountName::root()],
        }
    }
}

/// How a need was met: the grant (as SQL) that allowed it.
pub type Allowed = String;

impl Accounts {
    pub fn find(&self, name: &AccountName) -> Option<&Account> {
        self.accounts.iter().find(|a| a.name == *name)
    }

    pub fn exists(&self, name: &AccountName) -> bool {
        name.is_root() || self.find(name).is_some()
    }

    /// Every account, root first, for the page's switcher.
    pub fn names(&self) -> Vec<AccountName> {
        std::iter::once(AccountName::root())
            .chain(self.accounts.iter().map(|a| a.name.clone()))
            .collect()
    }

    fn held(&self, who: &AccountName, scope: &Scope) -> Option<&Privileges> {
        self.grants
            .iter()
            .find(|g| g.grantee == *who && g.scope == *scope)
            .map(|g| &g.held)
    }

    fn held_mut(&mut self, who: &AccountName, scope: &Scope) -> &mut Privileges {
        if let Some(i) = self
            .grants
            .iter()
            .position(|g| g.grantee == *who && g.scope == *scope)
        {
            return &mut self.grants[i].held;
        }
        self.grants.push(GrantRow {
            grantee: who.clone(),
            scope: scope.clone(),
            held: Privileges::default(),
        });
        let last = self.grants.len() - 1;
        &mut self.grants[last].held
    }

    /// Whether `who` may do `need`, and by which grant. Root may do anything.
    pub fn allows(&self, who: &AccountName, need: &Need) -> Option<Allowed> {
        if who.is_root() {
            return Some(root_grant());
        }
        let (db, table, column) = match &need.object {
            Object::Global => ("", None, None),
            Object::Database(db) => (db.as_str(), None, None),
            Object::Table { db, table } => (db.as_str(), Some(table.as_str()), None),
            Object::Column { db, table, column } => {
                (db.as_str(), Some(table.as_str()), Some(column.as_str()))
            }
        };
        for g in self.grants.iter().filter(|g| g.grantee == *who) {
            let in_scope = match need.object {
                Object::Global => g.scope == Scope::Global,
                _ => g.scope.covers(db, table),
            };
            if !in_scope {
                continue;
            }
            if g.held.privileges.contains(&need.privilege) {
                return Some(grant_line(who, &g.scope, &g.held));
            }
            if let (Some(column), Some(cols)) = (column, g.held.columns.get(&need.privilege)) {
                if cols.iter().any(|c| c.eq_ignore_ascii_case(column)) {
                    return Some(grant_line(who, &g.scope, &g.held));
                }
            }
        }
        None
    }

    /// Whether `who` holds `privilege` on some column of `db.table` (MySQL then says which
    /// column was denied, error 1143, rather than the table, 1142).
    pub fn has_column_grants(
        &self,
        who: &AccountName,
        privilege: Privilege,
        db: &str,
        table: &str,
    ) -> bool {
        let scope = Scope::Table {
            db: db.to_owned(),
            table: table.to_owned(),
        };
        self.held(who, &scope)
            .and_then(|h| h.columns.get(&privilege))
            .is_some_and(|c| !c.is_empty())
    }

    /// Whether `who` holds anything at all in `db` (what `USE db` and `SHOW DATABASES` ask).
    pub fn any_in_database(&self, who: &AccountName, db: &str) -> bool {
        who.is_root()
            || self.grants.iter().any(|g| {
                g.grantee == *who
                    && !g.held.is_empty()
                    && match &g.scope {
                        Scope::Global => true,
                        Scope::Database(d) => same_name(d, db),
                        Scope::Table { db: d, .. } => same_name(d, db),
                    }
            })
    }

    /// Whether `who` holds anything on `db.table` (what `SHOW TABLES` and `DESCRIBE` ask).
    pub fn any_on_table(&self, who: &AccountName, db: &str, table: &str) -> bool {
        who.is_root()
            || self
                .grants
                .iter()
                .any(|g| g.grantee == *who && !g.held.is_empty() && g.scope.covers(db, Some(table)))
    }

    /// `GRANT`: adds privileges (and columns) on `scope`.
    pub fn grant(&mut self, who: &AccountName, scope: &Scope, add: &Privileges) {
        let held = self.held_mut(who, scope);
        held.privileges.extend(add.privileges.iter().copied());
        for (p, cols) in &add.columns {
            held.columns
                .entry(*p)
                .or_default()
                .extend(cols.iter().cloned());
        }
    }

    /// `REVOKE`: takes privileges (and columns) off `scope`; says whether there was a grant
    /// on that scope at all (MySQL refuses to revoke from a scope with none, error 1141/1147).
    pub fn revoke(&mut self, who: &AccountName, scope: &Scope, remove: &Privileges) -> bool {
        let Some(i) = self
            .grants
            .iter()
            .position(|g| g.grantee == *who && g.scope == *scope)
        else {
            return false;
        };
        let held = &mut self.grants[i].held;
        for p in &remove.privileges {
            held.privileges.remove(p);
            // Revoking a privilege on a table revokes it on its columns too.
            held.columns.remove(p);
        }
        for (p, cols) in &remove.columns {
            if let Some(have) = held.columns.get_mut(p) {
                have.retain(|c| !cols.iter().any(|r| r.eq_ignore_ascii_case(c)));
            }
        }
        held.columns.retain(|_, c| !c.is_empty());
        if held.is_empty() {
            self.grants.remove(i);
        }
        true
    }

    /// `REVOKE ALL PRIVILEGES, GRANT OPTION FROM who`.
    pub fn revoke_everything(&mut self, who: &AccountName) {
        self.grants.retain(|g| g.grantee != *who);
    }

    /// `DROP USER`: the account and all its grants.
    pub fn drop_account(&mut self, who: &AccountName) {
        self.accounts.retain(|a| a.name != *who);
        self.revoke_everything(who);
    }

    /// `RENAME USER`: the account keeps its grants under the new name.
    pub fn rename_account(&mut self, from: &AccountName, to: &AccountName) {
        for a in &mut self.accounts {
            if a.name == *from {
                a.name = to.clone();
            }
        }
        for g in &mut self.grants {
            if g.grantee == *from {
                g.grantee = to.clone();
            }
        }
    }

    /// `SHOW GRANTS FOR who`, in MySQL 8's form: `USAGE` on `*.*` first, then each scope.
    pub fn show_grants(&self, who: &AccountName) -> Vec<String> {
        if who.is_root() {
            return vec![root_grant()];
        }
        let mut lines = Vec::new();
        let global = self.held(who, &Scope::Global);
        match global {
            Some(h) if !h.is_empty() => lines.push(grant_line(who, &Scope::Global, h)),
            _ => lines.push(format!("GRANT USAGE ON *.* TO {}", who.backquoted())),
        }
        let mut others: Vec<&GrantRow> = self
            .grants
            .iter()
            .filter(|g| g.grantee == *who && g.scope != Scope::Global && !g.held.is_empty())
            .collect();
        crate::sort::sort_by(&mut others, |a, b| a.scope.cmp(&b.scope));
        lines.extend(others.iter().map(|g| grant_line(who, &g.scope, &g.held)));
        lines
    }
}

/// The line root's privileges are shown as.
pub fn root_grant() -> String {
    format!(
        "GRANT ALL PRIVILEGES ON *.* TO {} WITH GRANT OPTION",
        AccountName::root().backquoted()
    )
}

/// `GRANT SELECT, UPDATE (kor) ON school.students TO 'u'@'h' [WITH GRANT OPTION]`.
/// The same line names the grant that allowed a need.
fn grant_line(who: &AccountName, scope: &Scope, held: &Privileges) -> String {
    let level = scope.level();
    let plain: BTreeSet<Privilege> = held
        .privileges
        .iter()
        .copied()
        .filter(|p| *p != Privilege::GrantOption)
        .collect();
    let mut parts: Vec<String> = Vec::new();
    if !plain.is_empty() && plain == Privilege::all_at(level) {
        parts.push("ALL PRIVILEGES".to_owned());
    } else {
        let mut keys: BTreeSet<Privilege> = plain.clone();
        keys.extend(held.columns.keys().copied());
        for p in keys {
            if plain.contains(&p) {
                parts.push(p.sql().to_owned());
            }
            if let Some(cols) = held.columns.get(&p).filter(|c| !c.is_empty()) {
                let cols: Vec<String> = cols.iter().map(|c| backquote(c)).collect();
                parts.push(format!("{} ({})", p.sql(), cols.join(", ")));
            }
        }
    }
    if parts.is_empty() {
        parts.push("USAGE".to_owned());
    }
    let mut line = format!(
        "GRANT {} ON {} TO {}",
        parts.join(", "),
        scope.sql(),
        who.backquoted()
    );
    if held.privileges.contains(&Privilege::GrantOption) {
        line.push_str(" WITH GRANT OPTION");
    }
    line
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clear_passwords_become_hashes_that_set_the_same_password() {
        let hash = password_hash("pw1234");
        // As MySQL's PASSWORD('pw1234') gives it.
        assert_eq!(hash, "*0DB55B5CA3F29C6BCD42E6CF2D2BA346859991AB");
        assert!(is_password_hash(&hash));
        let script = "CREATE USER 'a'@'%' IDENTIFIED BY 'pw1234', b IDENTIFIED BY \"pw1234\";\n\
                      ALTER USER a IDENTIFIED WITH mysql_native_password BY 'pw1234';\n\
                      SET PASSWORD FOR a = 'pw1234'; SET PASSWORD = PASSWORD('pw1234');\n\
                      SELECT 'IDENTIFIED BY' AS s, password FROM t -- IDENTIFIED BY 'x'";
        let redacted = redact_passwords(script).expect("passwords found");
        assert!(!redacted.contains("pw1234"), "{redacted}");
        assert_eq!(
            redacted,
            format!(
                "CREATE USER 'a'@'%' IDENTIFIED BY PASSWORD '{hash}', b IDENTIFIED BY PASSWORD '{hash}';\n\
                 ALTER USER a IDENTIFIED WITH mysql_native_password AS '{hash}';\n\
                 SET PASSWORD FOR a = '{hash}'; SET PASSWORD = '{hash}';\n\
                 SELECT 'IDENTIFIED BY' AS s, password FROM t -- IDENTIFIED BY 'x'"
            )
        );
        // Nothing to hide: nothing changes; a hash already there stays.
        assert_eq!(redact_passwords("SELECT 1; CREATE USER x"), None);
        assert_eq!(redact_passwords(&redacted), None);
        // The word test before tokenizing ignores case, as the statements do.
        assert_eq!(
            redact_passwords("create user kim identified by 'pw1234'").as_deref(),
            Some(format!("create user kim identified by PASSWORD '{hash}'").as_str())
        );
    }

    #[test]
    fn leading_words_read_only_the_start_of_a_statement() {
        // A quote never closed later on does not hide the first words.
        assert_eq!(
            leading_words("create user kim IDENTIFIED BY 'never closed", 3),
            ["CREATE", "USER", "KIM"]
        );
        let long = format!("INSERT INTO t VALUES {}", "(1, 'a'), ".repeat(10_000));
        assert_eq!(leading_words(&long, 2), ["INSERT", "INTO"]);
        assert_eq!(leading_words("  -- nothing\n", 3), Vec::<String>::new());
    }

    fn bob() -> AccountName {
        AccountName::new("bob", "localhost")
    }

    fn privs(list: &[Privilege]) -> Privileges {
        Privileges {
            privileges: list.iter().copied().collect(),
            columns: BTreeMap::new(),
        }
    }

    fn need(privilege: Privilege, object: Object) -> Need {
        Need { privilege, object }
    }

    fn table(t: &str) -> Object {
        Object::Table {
            db: "school".into(),
            table: t.into(),
        }
    }

    #[test]
    fn a_need_is_met_at_its_level_or_above() {
        let mut a = Accounts::default();
        a.accounts.push(Account {
            name: bob(),
            password_hash: None,
        });
        assert_eq!(
            a.allows(&bob(), &need(Privilege::Select, table("students"))),
            None
        );
        a.grant(
            &bob(),
            &Scope::Database("school".into()),
            &privs(&[Privilege::Select]),
        );
        let by = a.allows(&bob(), &need(Privilege::Select, table("students")));
        assert_eq!(
            by.as_deref(),
            Some("GRANT SELECT ON `school`.* TO `bob`@`localhost`")
        );
        assert_eq!(
            a.allows(&bob(), &need(Privilege::Update, table("students"))),
            None
        );
        let other = Object::Table {
            db: "other".into(),
            table: "students".into(),
        };
        assert_eq!(a.allows(&bob(), &need(Privilege::Select, other)), None);
        assert!(a
            .allows(
                &AccountName::root(),
                &need(Privilege::CreateUser, Object::Global)
            )
            .is_some());
    }

    #[test]
    fn column_grants_cover_their_columns_only() {
        let mut a = Accounts::default();
        let scope = Scope::Table {
            db: "school".into(),
            table: "students".into(),
        };
        let mut p = Privileges::default();
        p.columns.insert(
            Privilege::Select,
            ["name".to_owned(), "kor".to_owned()].into(),
        );
        a.grant(&bob(), &scope, &p);
        let col = |c: &str| Object::Column {
            db: "school".into(),
            table: "students".into(),
            column: c.into(),
        };
        assert!(a
            .allows(&bob(), &need(Privilege::Select, col("kor")))
            .is_some());
        assert!(a
            .allows(&bob(), &need(Privilege::Select, col("eng")))
            .is_none());
        assert!(a
            .allows(&bob(), &need(Privilege::Select, table("students")))
            .is_none());
        assert!(a.has_column_grants(&bob(), Privilege::Select, "school", "students"));
        assert_eq!(
            a.show_grants(&bob()),
            vec![
                "GRANT USAGE ON *.* TO `bob`@`localhost`".to_owned(),
                "GRANT SELECT (`kor`, `name`) ON `school`.`students` TO `bob`@`localhost`"
                    .to_owned()
            ]
        );
    }

    #[test]
    fn revoke_takes_off_and_all_reads_back() {
        let mut a = Accounts::default();
        let db = Scope::Database("school".into());
        let mut all = Privileges {
            privileges: Privilege::all_at(Level::Database),
            columns: BTreeMap::new(),
        };
        all.privileges.insert(Privilege::GrantOption);
        a.grant(&bob(), &db, &all);
        assert_eq!(
            a.show_grants(&bob())[1],
            "GRANT ALL PRIVILEGES ON `school`.* TO `bob`@`localhost` WITH GRANT OPTION"
        );
        assert!(a.revoke(
            &bob(),
            &db,
            &privs(&[Privilege::Delete, Privilege::GrantOption])
        ));
        assert!(a.show_grants(&bob())[1].starts_with("GRANT SELECT, INSERT, UPDATE, CREATE"));
        assert!(!a.revoke(&bob(), &Scope::Global, &privs(&[Privilege::Select])));
        a.revoke_everything(&bob());
        assert_eq!(a.show_grants(&bob()).len(), 1);
    }

    #[test]
    fn accounts_round_trip_as_json() {
        let mut a = Accounts::default();
        a.accounts.push(Account {
            name: bob(),
            password_hash: Some("*ABC".into()),
        });
        a.grant(&bob(), &Scope::Global, &privs(&[Privilege::CreateUser]));
        let json = serde_json::to_string(&a).unwrap_or_default();
        let back: Accounts = serde_json::from_str(&json).unwrap_or_default();
        assert_eq!(back, a);
        assert_eq!(AccountName::new("o'k", "%").quoted(), "'o\\'k'@'%'");
    }
}
