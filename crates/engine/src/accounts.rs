//! Account and privilege statements: `CREATE/DROP/ALTER/RENAME USER`, `SET PASSWORD`,
//! `GRANT`, `REVOKE`, `SHOW GRANTS`, and the playground's `SET SESSION AUTHORIZATION`, read
//! and carried out on the model's [`Accounts`].
//!
//! sqlparser cannot tokenise MySQL's `'user'@'host'` (its tokenizer reads `@'host` as a
//! variable's name), so these statements are read here: a small tokenizer and a recursive-
//! descent parser over MySQL 8's grammar for them. Nothing else in the engine parses text.

use crate::error::{Explanation, SqlError};
use crate::glue::{affected, text_rows};
use crate::{Engine, Executed};
use sqlnori_model::accounts::{
    Account, AccountName, Accounts, Level, Need, Object, Privilege, Privileges, Scope,
};
use sqlnori_model::diagnostics::Warning;
use sqlnori_model::{Cell, Localized};
use std::collections::BTreeSet;

/// Whether `sql` is one of the statements read here (by its first words).
pub fn account_statement(sql: &str) -> Option<&'static str> {
    // By the first words alone: a statement with a broken quote later is still this one, and
    // its parser says where it broke.
    let words = sqlnori_model::accounts::leading_words(sql, 3);
    let w: Vec<&str> = words.iter().map(String::as_str).collect();
    Some(match w.as_slice() {
        ["CREATE", "USER", ..] => "CREATE USER",
        ["DROP", "USER", ..] => "DROP USER",
        ["ALTER", "USER", ..] => "ALTER USER",
        ["RENAME", "USER", ..] => "RENAME USER",
        ["CREATE", "ROLE", ..] => "CREATE ROLE",
        ["DROP", "ROLE", ..] => "DROP ROLE",
        ["SET", "ROLE", ..] => "SET ROLE",
        ["SET", "DEFAULT", "ROLE"] => "SET DEFAULT ROLE",
        ["GRANT", ..] => "GRANT",
        ["REVOKE", ..] => "REVOKE",
        ["SET", "PASSWORD", ..] => "SET PASSWORD",
        ["SET", "SESSION", "AUTHORIZATION"] => "SET SESSION AUTHORIZATION",
        ["SHOW", "GRANTS", ..] => "SHOW GRANTS",
        ["FLUSH", "PRIVILEGES", ..] => "FLUSH PRIVILEGES",
        _ => return None,
    })
}

// ---------------------------------------------------------------------------------------
// Tokens

use sqlnori_model::accounts::AccountToken as Tok;

fn syntax(message: impl Into<String>) -> SqlError {
    SqlError::Parse {
        message: message.into(),
        line: 1,
        column: 1,
    }
}

/// The statement's tokens (the model's reading; `;` ends nothing here, the script was split).
fn tokenize(sql: &str) -> Result<Vec<Tok>, SqlError> {
    let tokens = sqlnori_model::accounts::account_tokens(sql).map_err(|q| {
        SqlError::Invalid(Localized::new(
            format!("여는 따옴표 {q}를 닫는 {q}가 없습니다"),
            format!("the quote {q} is never closed"),
        ))
    })?;
    Ok(tokens
        .into_iter()
        .map(|(t, _)| t)
        .filter(|t| *t != Tok::Punct(';'))
        .collect())
}

// ---------------------------------------------------------------------------------------
// Statements

/// A password as written: in clear (`IDENTIFIED BY 'pw'`) or as a hash (`… AS '*…'`).
#[derive(Debug, Clone, PartialEq)]
enum Password {
    Clear(String),
    Hash(String),
}

/// A privilege as written in GRANT/REVOKE.
#[derive(Debug, Clone, PartialEq)]
enum PrivSpec {
    All,
    Usage,
    One(Privilege, Vec<String>),
}

/// What a GRANT or REVOKE is on, as written (`*`, `db.*`, `t`, `db.t`).
#[derive(Debug, Clone, PartialEq)]
enum Target {
    AllDatabases,
    CurrentDatabase,
    Database(String),
    Table(Option<String>, String),
}

#[derive(Debug, Clone, PartialEq)]
enum AccountStatement {
    CreateUser {
        if_not_exists: bool,
        users: Vec<(AccountName, Option<Password>)>,
    },
    DropUser {
        if_exists: bool,
        users: Vec<AccountName>,
    },
    AlterUser {
        if_exists: bool,
        users: Vec<(AccountName, Option<Password>)>,
    },
    RenameUser(Vec<(AccountName, AccountName)>),
    SetPassword {
        user: Option<AccountName>,
        password: Password,
    },
    Grant {
        privileges: Vec<PrivSpec>,
        target: Target,
        users: Vec<AccountName>,
        grant_option: bool,
    },
    Revoke {
        privileges: Vec<PrivSpec>,
        target: Target,
        users: Vec<AccountName>,
    },
    RevokeAll {
        users: Vec<AccountName>,
    },
    ShowGrants {
        user: Option<AccountName>,
    },
    SetAuthorization(Option<AccountName>),
    FlushPrivileges,
    Roles(&'static str),
}

struct Parser {
    tokens: Vec<Tok>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.tokens.get(self.pos)
    }

    fn peek_word(&self, w: &str) -> bool {
        matches!(self.peek(), Some(Tok::Word(x)) if x.eq_ignore_ascii_case(w))
    }

    fn eat_word(&mut self, w: &str) -> bool {
        let yes = self.peek_word(w);
        if yes {
            self.pos += 1;
        }
        yes
    }

    fn eat_words(&mut self, ws: &[&str]) -> bool {
        let start = self.pos;
        for w in ws {
            if !self.eat_word(w) {
                self.pos = start;
                return false;
            }
        }
        true
    }

    fn expect_word(&mut self, w: &str) -> Result<(), SqlError> {
        if self.eat_word(w) {
            Ok(())
        } else {
            Err(self.expected(w))
        }
    }

    fn eat_punct(&mut self, c: char) -> bool {
        let yes = self.peek() == Some(&Tok::Punct(c));
        if yes {
            self.pos += 1;
        }
        yes
    }

    fn expected(&self, what: &str) -> SqlError {
        let found = match self.peek() {
            None => "end of statement".to_owned(),
            Some(Tok::Word(w)) => w.clone(),
            Some(Tok::Str(s)) => format!("'{s}'"),
            Some(Tok::Quoted(s)) => format!("`{s}`"),
            Some(Tok::Punct(c)) => c.to_string(),
        };
        syntax(format!("Expected: {what}, found: {found}"))
    }

    fn end(&self) -> Result<(), SqlError> {
        match self.peek() {
            None => Ok(()),
            Some(_) => Err(self.expected("end of statement")),
        }
    }

    /// A name: a word, a `` `quoted` `` name or a string.
    fn name(&mut self, what: &str) -> Result<String, SqlError> {
        match self.peek().cloned() {
            Some(Tok::Word(w) | Tok::Str(w) | Tok::Quoted(w)) => {
                self.pos += 1;
                Ok(w)
            }
            _ => Err(self.expected(what)),
        }
    }

    /// `'user'@'host'`, `user@host`, `'user'` (host `%`, as MySQL reads it).
    fn account(&mut self) -> Result<AccountName, SqlError> {
        if self.eat_word("CURRENT_USER") {
            if self.eat_punct('(') && !self.eat_punct(')') {
                return Err(self.expected(")"));
            }
            return Err(SqlError::Invalid(Localized::new(
                "CURRENT_USER 대신 계정 이름을 'user'@'host'로 쓰세요",
                "write the account as 'user'@'host' instead of CURRENT_USER",
            )));
        }
        let user = self.name("an account name ('user'@'host')")?;
        let host = if self.eat_punct('@') {
            self.name("a host name after @")?
        } else {
            "%".to_owned()
        };
        if user.is_empty() || user.chars().count() > 80 || host.chars().count() > 255 {
            return Err(SqlError::Invalid(Localized::new(
                format!("계정 이름 '{user}'@'{host}'을 쓸 수 없습니다 (사용자 이름은 1~80자)"),
                format!("the account name '{user}'@'{host}' is not valid (user names have 1 to 80 characters)"),
            )));
        }
        Ok(AccountName::new(user, host))
    }

    fn accounts(&mut self) -> Result<Vec<AccountName>, SqlError> {
        let mut v = vec![self.account()?];
        while self.eat_punct(',') {
            v.push(self.account()?);
        }
        Ok(v)
    }

    /// `IDENTIFIED BY 'pw' | IDENTIFIED BY PASSWORD '*…' | IDENTIFIED WITH plugin [BY 'pw' |
    /// AS '*…']`, if there.
    fn identified(&mut self) -> Result<Option<Password>, SqlError> {
        if !self.eat_word("IDENTIFIED") {
            return Ok(None);
        }
        if self.eat_word("WITH") {
            self.name("an authentication plugin")?;
            if self.eat_word("AS") {
                return Ok(Some(Password::Hash(self.string("a password hash")?)));
            }
            if !self.eat_word("BY") {
                return Ok(None);
            }
        } else {
            self.expect_word("BY")?;
        }
        if self.eat_word("PASSWORD") {
            return Ok(Some(Password::Hash(self.string("a password hash")?)));
        }
        Ok(Some(Password::Clear(self.string("a password in quotes")?)))
    }

    fn string(&mut self, what: &str) -> Result<String, SqlError> {
        match self.peek().cloned() {
            Some(Tok::Str(s)) => {
                self.pos += 1;
                Ok(s)
            }
            _ => Err(self.expected(what)),
        }
    }

    fn users_with_passwords(&mut self) -> Result<Vec<(AccountName, Option<Password>)>, SqlError> {
        let mut v = Vec::new();
        loop {
            let a = self.account()?;
            let p = self.identified()?;
            v.push((a, p));
            if !self.eat_punct(',') {
                break;
            }
        }
        Ok(v)
    }

    fn privileges(&mut self) -> Result<Vec<PrivSpec>, SqlError> {
        let mut v = Vec::new();
        loop {
            if self.eat_word("ALL") {
                self.eat_word("PRIVILEGES");
                v.push(PrivSpec::All);
            } else if self.eat_word("USAGE") {
                v.push(PrivSpec::Usage);
            } else {
                let mut words = Vec::new();
                while let Some(Tok::Word(w)) = self.peek() {
                    let up = w.to_ascii_uppercase();
                    if up == "ON" || up == "FROM" || up == "TO" {
                        break;
                    }
                    words.push(up);
                    self.pos += 1;
                    let ws: Vec<&str> = words.iter().map(String::as_str).collect();
                    if Privilege::from_words(&ws).is_some()
                        && !(ws == ["CREATE"] && (self.peek_word("VIEW") || self.peek_word("USER")))
                        && !(ws == ["GRANT"] || ws == ["SHOW"])
                    {
                        break;
                    }
                }
                let ws: Vec<&str> = words.iter().map(String::as_str).collect();
                let Some(p) = Privilege::from_words(&ws) else {
                    let written = words.join(" ");
                    return Err(if written.is_empty() {
                        self.expected("a privilege (SELECT, INSERT, UPDATE, …)")
                    } else {
                        SqlError::Unsupported {
                            feature: Localized::new(
                                format!("{written} 권한"),
                                format!("the {written} privilege"),
                            ),
                            hint: Some(Localized::new(
                                "sqlnori가 다루는 권한: SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, REFERENCES, INDEX, ALTER, CREATE VIEW, SHOW VIEW, CREATE USER, GRANT OPTION, ALL",
                                "the privileges sqlnori models: SELECT, INSERT, UPDATE, DELETE, CREATE, DROP, REFERENCES, INDEX, ALTER, CREATE VIEW, SHOW VIEW, CREATE USER, GRANT OPTION, ALL",
                            )),
                        }
                    });
                };
                let mut columns = Vec::new();
                if self.eat_punct('(') {
                    loop {
                        columns.push(self.name("a column name")?);
                        if !self.eat_punct(',') {
                            break;
                        }
                    }
                    if !self.eat_punct(')') {
                        return Err(self.expected(")"));
                    }
                }
                v.push(PrivSpec::One(p, columns));
            }
            if !self.eat_punct(',') {
                break;
            }
        }
        Ok(v)
    }

    fn target(&mut self) -> Result<Target, SqlError> {
        self.eat_word("TABLE");
        if self.eat_punct('*') {
            if self.eat_punct('.') {
                if !self.eat_punct('*') {
                    return Err(self.expected("*"));
                }
                return Ok(Target::AllDatabases);
            }
            return Ok(Target::CurrentDatabase);
        }
        let first = self.name("*.*, db.* or a table")?;
        if self.eat_punct('.') {
            if self.eat_punct('*') {
                return Ok(Target::Database(first));
            }
            let table = self.name("a table name")?;
            return Ok(Target::Table(Some(first), table));
        }
        Ok(Target::Table(None, first))
    }
}

/// An account name as a person types it on a command line or in a menu: `'user'@'host'`,
/// `user@host` or `user` (host `%`), nothing after it.
pub fn parse_account_name(text: &str) -> Result<AccountName, SqlError> {
    let mut p = Parser {
        tokens: tokenize(text)?,
        pos: 0,
    };
    let name = p.account()?;
    p.end()?;
    Ok(name)
}

fn parse(sql: &str) -> Result<AccountStatement, SqlError> {
    let mut p = Parser {
        tokens: tokenize(sql)?,
        pos: 0,
    };
    let stmt = if p.eat_words(&["CREATE", "USER"]) {
        let if_not_exists = p.eat_words(&["IF", "NOT", "EXISTS"]);
        AccountStatement::CreateUser {
            if_not_exists,
            users: p.users_with_passwords()?,
        }
    } else if p.eat_words(&["DROP", "USER"]) {
        let if_exists = p.eat_words(&["IF", "EXISTS"]);
        AccountStatement::DropUser {
            if_exists,
            users: p.accounts()?,
        }
    } else if p.eat_words(&["ALTER", "USER"]) {
        let if_exists = p.eat_words(&["IF", "EXISTS"]);
        AccountStatement::AlterUser {
            if_exists,
            users: p.users_with_passwords()?,
        }
    } else if p.eat_words(&["RENAME", "USER"]) {
        let mut pairs = Vec::new();
        loop {
            let from = p.account()?;
            p.expect_word("TO")?;
            pairs.push((from, p.account()?));
            if !p.eat_punct(',') {
                break;
            }
        }
        AccountStatement::RenameUser(pairs)
    } else if p.eat_words(&["SET", "PASSWORD"]) {
        let user = if p.eat_word("FOR") {
            Some(p.account()?)
        } else {
            None
        };
        if !p.eat_punct('=') {
            return Err(p.expected("="));
        }
        let password = if p.eat_word("PASSWORD") {
            if !p.eat_punct('(') {
                return Err(p.expected("("));
            }
            let s = p.string("a password in quotes")?;
            if !p.eat_punct(')') {
                return Err(p.expected(")"));
            }
            Password::Clear(s)
        } else {
            // MariaDB reads a plain string here as the hash; MySQL 8 as the password. A
            // well-formed hash is taken as one (what a redacted log or link holds).
            let s = p.string("a password in quotes")?;
            if sqlnori_model::accounts::is_password_hash(&s) {
                Password::Hash(s)
            } else {
                Password::Clear(s)
            }
        };
        AccountStatement::SetPassword { user, password }
    } else if p.eat_words(&["SET", "SESSION", "AUTHORIZATION"]) {
        if p.eat_word("DEFAULT") {
            AccountStatement::SetAuthorization(None)
        } else {
            AccountStatement::SetAuthorization(Some(p.account()?))
        }
    } else if p.eat_words(&["SHOW", "GRANTS"]) {
        let user = if p.eat_word("FOR") {
            if p.eat_word("CURRENT_USER") {
                if p.eat_punct('(') && !p.eat_punct(')') {
                    return Err(p.expected(")"));
                }
                None
            } else {
                Some(p.account()?)
            }
        } else {
            None
        };
        AccountStatement::ShowGrants { user }
    } else if p.eat_words(&["FLUSH", "PRIVILEGES"]) {
        AccountStatement::FlushPrivileges
    } else if p.eat_word("GRANT") {
        let privileges = p.privileges()?;
        if !p.eat_word("ON") {
            // `GRANT role TO user`.
            return Ok(AccountStatement::Roles("GRANT role"));
        }
        let target = p.target()?;
        p.expect_word("TO")?;
        let users = p.accounts()?;
        let grant_option = p.eat_words(&["WITH", "GRANT", "OPTION"]);
        AccountStatement::Grant {
            privileges,
            target,
            users,
            grant_option,
        }
    } else if p.eat_word("REVOKE") {
        let privileges = p.privileges()?;
        if privileges.len() == 2
            && privileges[0] == PrivSpec::All
            && privileges[1] == PrivSpec::One(Privilege::GrantOption, vec![])
            && p.eat_word("FROM")
        {
            AccountStatement::RevokeAll {
                users: p.accounts()?,
            }
        } else {
            if !p.eat_word("ON") {
                return Ok(AccountStatement::Roles("REVOKE role"));
            }
            let target = p.target()?;
            p.expect_word("FROM")?;
            AccountStatement::Revoke {
                privileges,
                target,
                users: p.accounts()?,
            }
        }
    } else {
        let verb = account_statement(sql).unwrap_or("account statement");
        return Ok(AccountStatement::Roles(verb));
    };
    p.end()?;
    Ok(stmt)
}

// ---------------------------------------------------------------------------------------
// Carrying them out

pub use sqlnori_model::accounts::password_hash;

fn stored_hash(p: Option<&Password>) -> Result<Option<String>, SqlError> {
    match p {
        None => Ok(None),
        Some(Password::Clear(s)) if s.is_empty() => Ok(None),
        Some(Password::Clear(s)) => Ok(Some(password_hash(s))),
        Some(Password::Hash(h)) if h.is_empty() => Ok(None),
        Some(Password::Hash(h)) => {
            if sqlnori_model::accounts::is_password_hash(h) {
                Ok(Some(h.to_ascii_uppercase()))
            } else {
                // MySQL's error 1372.
                Err(SqlError::Invalid(Localized::new(
                    "비밀번호 해시는 '*'와 16진수 41자여야 합니다 (MySQL 오류 1372)",
                    "Password hash should be a 41-digit hexadecimal number (MySQL error 1372)",
                )))
            }
        }
    }
}

/// The note of `IF NOT EXISTS` / `IF EXISTS` for an account passed over (MySQL's warning).
fn skipped(name: &AccountName, exists: bool) {
    crate::warnings::warn(if exists {
        Warning::note(
            3163,
            format!("{} 계정이 이미 있어서 건너뜁니다", name.quoted()),
            format!("Authorization ID {} already exists.", name.quoted()),
        )
    } else {
        Warning::note(
            3162,
            format!("{} 계정이 없어서 건너뜁니다", name.quoted()),
            format!("Authorization ID {} does not exist.", name.quoted()),
        )
    });
}

/// MySQL's error 1396: `Operation CREATE USER failed for 'bob'@'localhost'`.
fn operation_failed(verb: &str, who: &AccountName) -> SqlError {
    SqlError::Invalid(Localized::new(
        format!(
            "{verb} 실패: {} 계정이 {} (MySQL 오류 1396)",
            who.quoted(),
            match verb {
                "CREATE USER" => "이미 있습니다",
                "RENAME USER" => "없거나 새 이름이 이미 있습니다",
                _ => "없습니다",
            }
        ),
        format!(
            "Operation {verb} failed for {} (MySQL error 1396)",
            who.quoted()
        ),
    ))
}

fn root_refused(what_ko: &str, what_en: &str) -> SqlError {
    SqlError::Invalid(Localized::new(
        format!("'root'@'localhost'는 놀이터의 관리자라 {what_ko} 수 없습니다: 언제든 SET SESSION AUTHORIZATION DEFAULT로 돌아올 수 있게 지켜 둡니다"),
        format!("'root'@'localhost' is the playground's administrator and cannot {what_en}: it is kept so that SET SESSION AUTHORIZATION DEFAULT always brings you back"),
    ))
}

/// A denial with MySQL's error number and text, who lacked what, and the GRANT that would
/// allow it.
pub(crate) fn denied(
    errno: u16,
    mysql_text: String,
    ko: String,
    subject: Option<String>,
    fix: Option<String>,
) -> SqlError {
    let hint = fix.map(|g| {
        Localized::new(
            format!("root로 돌아가(SET SESSION AUTHORIZATION DEFAULT) `{g}`를 실행하면 허락됩니다"),
            format!("as root (SET SESSION AUTHORIZATION DEFAULT), `{g}` would allow it"),
        )
    });
    SqlError::Explained(Box::new(Explanation {
        code: "denied",
        message: Localized::new(
            format!("{ko} (MySQL 오류 {errno}: {mysql_text})"),
            format!("{mysql_text} (MySQL error {errno})"),
        ),
        subject,
        hint,
    }))
}

/// MySQL's error 1227, for a global privilege.
pub(crate) fn needs_global(who: &AccountName, privilege: Privilege) -> SqlError {
    denied(
        1227,
        format!(
            "Access denied; you need (at least one of) the {} privilege(s) for this operation",
            privilege.sql()
        ),
        format!(
            "{} 계정에는 전역 {} 권한이 없습니다",
            who.quoted(),
            privilege.sql()
        ),
        None,
        Some(format!(
            "GRANT {} ON *.* TO {}",
            privilege.sql(),
            who.quoted()
        )),
    )
}

/// MySQL's error 1044, for a database.
pub(crate) fn database_denied(
    who: &AccountName,
    db: &str,
    privilege: Option<Privilege>,
) -> SqlError {
    let what = privilege.map_or_else(
        || "아무 권한도".to_owned(),
        |p| format!("{} 권한이", p.sql()),
    );
    denied(
        1044,
        format!("Access denied for user {} to database '{db}'", who.quoted()),
        format!(
            "{} 계정에는 데이터베이스 `{db}`에 {what} 없습니다",
            who.quoted()
        ),
        Some(db.to_owned()),
        Some(format!(
            "GRANT {} ON {db}.* TO {}",
            privilege.map_or("SELECT", Privilege::sql),
            who.quoted()
        )),
    )
}

impl Engine {
    /// The account statements run by whoever is acting.
    pub(crate) fn account_statement(&mut self, sql: &str) -> Executed {
        let stmt = parse(sql)?;
        let who = self.acting();
        match stmt {
            AccountStatement::Roles(verb) => Err(SqlError::Unsupported {
                feature: Localized::new(format!("역할(role): {verb}"), format!("roles: {verb}")),
                hint: Some(Localized::new(
                    "역할 대신 계정에 직접 GRANT 하세요",
                    "GRANT privileges to accounts directly instead",
                )),
            }),
            AccountStatement::FlushPrivileges => Ok((affected("FLUSH PRIVILEGES", 0), vec![])),
            AccountStatement::SetAuthorization(target) => {
                match &target {
                    Some(a) if !self.state.accounts.exists(a) => {
                        return Err(SqlError::Invalid(Localized::new(
                            format!(
                                "{} 계정이 없습니다: 먼저 CREATE USER로 만드세요",
                                a.quoted()
                            ),
                            format!(
                                "there is no account {}: create it first with CREATE USER",
                                a.quoted()
                            ),
                        )))
                    }
                    _ => {}
                }
                let target = target.filter(|a| !a.is_root());
                let now = target.clone().unwrap_or_else(AccountName::root);
                self.state.acting = target;
                Ok((
                    affected("SET SESSION AUTHORIZATION", 0),
                    vec![Localized::new(
                        format!("이제 {} 계정으로 실행합니다", now.quoted()),
                        format!("statements now run as {}", now.quoted()),
                    )],
                ))
            }
            AccountStatement::ShowGrants { user } => {
                let target = user.unwrap_or_else(|| who.clone());
                if target != who && !who.is_root() {
                    let need = Need {
                        privilege: Privilege::Select,
                        object: Object::Database("mysql".into()),
                    };
                    if self.state.accounts.allows(&who, &need).is_none() {
                        return Err(database_denied(&who, "mysql", None));
                    }
                }
                if !self.state.accounts.exists(&target) {
                    // MySQL's error 1141.
                    return Err(SqlError::Invalid(Localized::new(
                        format!("{} 계정에 정의된 권한이 없습니다: 그런 계정이 없습니다 (MySQL 오류 1141)", target.quoted()),
                        format!(
                            "There is no such grant defined for user '{}' on host '{}' (MySQL error 1141)",
                            target.user, target.host
                        ),
                    )));
                }
                let lines = self.state.accounts.show_grants(&target);
                let label = format!("Grants for {target}");
                Ok((
                    text_rows(
                        &[label.as_str()],
                        lines.into_iter().map(|l| vec![Cell::Text(l)]).collect(),
                    ),
                    vec![],
                ))
            }
            AccountStatement::CreateUser {
                if_not_exists,
                users,
            } => {
                self.require_global(&who, Privilege::CreateUser)?;
                let mut next = self.state.accounts.clone();
                for (name, password) in users {
                    if next.exists(&name) {
                        if if_not_exists {
                            skipped(&name, true);
                            continue;
                        }
                        return Err(operation_failed("CREATE USER", &name));
                    }
                    next.accounts.push(Account {
                        name,
                        password_hash: stored_hash(password.as_ref())?,
                    });
                }
                self.state.accounts = next;
                // MySQL reports no rows for account statements.
                Ok((affected("CREATE USER", 0), vec![]))
            }
            AccountStatement::DropUser { if_exists, users } => {
                self.require_global(&who, Privilege::CreateUser)?;
                let mut next = self.state.accounts.clone();
                for name in users {
                    if name.is_root() {
                        return Err(root_refused("지울", "be dropped"));
                    }
                    if next.find(&name).is_none() {
                        if if_exists {
                            skipped(&name, false);
                            continue;
                        }
                        return Err(operation_failed("DROP USER", &name));
                    }
                    next.drop_account(&name);
                }
                self.state.accounts = next;
                Ok((affected("DROP USER", 0), vec![]))
            }
            AccountStatement::AlterUser { if_exists, users } => {
                let only_self = users.iter().all(|(n, _)| *n == who);
                if !only_self {
                    self.require_global(&who, Privilege::CreateUser)?;
                }
                let mut next = self.state.accounts.clone();
                for (name, password) in users {
                    if name.is_root() {
                        continue;
                    }
                    let hash = stored_hash(password.as_ref())?;
                    match next.accounts.iter_mut().find(|a| a.name == name) {
                        Some(a) => {
                            if password.is_some() {
                                a.password_hash = hash;
                            }
                        }
                        None if if_exists => skipped(&name, false),
                        None => return Err(operation_failed("ALTER USER", &name)),
                    }
                }
                self.state.accounts = next;
                Ok((affected("ALTER USER", 0), vec![]))
            }
            AccountStatement::SetPassword { user, password } => {
                let name = user.unwrap_or_else(|| who.clone());
                if name != who {
                    self.require_global(&who, Privilege::CreateUser)?;
                }
                if !name.is_root() {
                    let hash = stored_hash(Some(&password))?;
                    let Some(a) = self
                        .state
                        .accounts
                        .accounts
                        .iter_mut()
                        .find(|a| a.name == name)
                    else {
                        return Err(operation_failed("SET PASSWORD", &name));
                    };
                    a.password_hash = hash;
                }
                Ok((affected("SET PASSWORD", 0), vec![]))
            }
            AccountStatement::RenameUser(pairs) => {
                self.require_global(&who, Privilege::CreateUser)?;
                let mut next = self.state.accounts.clone();
                for (from, to) in pairs {
                    if from.is_root() || to.is_root() {
                        return Err(root_refused("이름을 바꿀", "be renamed"));
                    }
                    if next.find(&from).is_none() || next.exists(&to) {
                        return Err(operation_failed("RENAME USER", &from));
                    }
                    next.rename_account(&from, &to);
                    if self.state.acting.as_ref() == Some(&from) {
                        self.state.acting = Some(to.clone());
                    }
                }
                self.state.accounts = next;
                Ok((affected("RENAME USER", 0), vec![]))
            }
            AccountStatement::RevokeAll { users } => {
                self.require_global(&who, Privilege::CreateUser)?;
                let mut next = self.state.accounts.clone();
                for name in users {
                    if name.is_root() {
                        return Err(root_refused("권한을 잃을", "lose its privileges"));
                    }
                    if next.find(&name).is_none() {
                        return Err(operation_failed("REVOKE", &name));
                    }
                    next.revoke_everything(&name);
                }
                self.state.accounts = next;
                Ok((affected("REVOKE", 0), vec![]))
            }
            AccountStatement::Grant {
                privileges,
                target,
                users,
                grant_option,
            } => {
                let scope = self.grant_scope(&target)?;
                let mut held = self.privileges_of(&privileges, &scope)?;
                if grant_option {
                    held.privileges.insert(Privilege::GrantOption);
                }
                self.require_grantable(&who, &scope, &held)?;
                let mut next = self.state.accounts.clone();
                for name in &users {
                    if !next.exists(name) {
                        // MySQL's error 1133 (NO_AUTO_CREATE_USER).
                        return Err(SqlError::Invalid(Localized::new(
                            format!("{} 계정이 없습니다: 먼저 CREATE USER로 만드세요 (MySQL 오류 1133)", name.quoted()),
                            format!("Can't find any matching row in the user table for {} (MySQL error 1133)", name.quoted()),
                        )));
                    }
                    if !name.is_root() {
                        next.grant(name, &scope, &held);
                    }
                }
                self.state.accounts = next;
                Ok((affected("GRANT", 0), vec![]))
            }
            AccountStatement::Revoke {
                privileges,
                target,
                users,
            } => {
                let scope = self.grant_scope(&target)?;
                let held = self.privileges_of(&privileges, &scope)?;
                self.require_grantable(&who, &scope, &held)?;
                let mut next = self.state.accounts.clone();
                for name in &users {
                    if name.is_root() {
                        return Err(root_refused("권한을 잃을", "lose its privileges"));
                    }
                    if !next.exists(name) || !next.revoke(name, &scope, &held) {
                        return Err(no_such_grant(name, &scope));
                    }
                }
                self.state.accounts = next;
                Ok((affected("REVOKE", 0), vec![]))
            }
        }
    }

    /// The acting account and every account, for the page's switcher and the CLI.
    pub fn account_status(&self) -> sqlnori_model::accounts::AccountStatus {
        sqlnori_model::accounts::AccountStatus {
            acting: self.acting(),
            accounts: self.state.accounts.names(),
        }
    }

    /// The account statements run as: root unless switched.
    pub(crate) fn acting(&self) -> AccountName {
        self.state.acting.clone().unwrap_or_else(AccountName::root)
    }

    fn require_global(&self, who: &AccountName, privilege: Privilege) -> Result<(), SqlError> {
        let need = Need {
            privilege,
            object: Object::Global,
        };
        match self.state.accounts.allows(who, &need) {
            Some(_) => Ok(()),
            None => Err(needs_global(who, privilege)),
        }
    }

    /// GRANT and REVOKE: the grantor needs GRANT OPTION and every privilege it passes on, at
    /// the scope or above.
    fn require_grantable(
        &self,
        who: &AccountName,
        scope: &Scope,
        held: &Privileges,
    ) -> Result<(), SqlError> {
        let object = match scope {
            Scope::Global => Object::Global,
            Scope::Database(db) => Object::Database(db.clone()),
            Scope::Table { db, table } => Object::Table {
                db: db.clone(),
                table: table.clone(),
            },
        };
        let mut wanted: BTreeSet<Privilege> = held.privileges.clone();
        wanted.extend(held.columns.keys().copied());
        wanted.insert(Privilege::GrantOption);
        for privilege in wanted {
            let mut need = Need {
                privilege,
                object: object.clone(),
            };
            let mut ok = self.state.accounts.allows(who, &need).is_some();
            if !ok {
                // A column privilege may be passed on by whoever holds it on those columns.
                if let (Scope::Table { db, table }, Some(cols)) =
                    (scope, held.columns.get(&privilege))
                {
                    ok = !cols.is_empty()
                        && cols.iter().all(|c| {
                            need.object = Object::Column {
                                db: db.clone(),
                                table: table.clone(),
                                column: c.clone(),
                            };
                            self.state.accounts.allows(who, &need).is_some()
                        });
                }
            }
            if ok {
                continue;
            }
            return Err(match scope {
                Scope::Global => needs_global(who, privilege),
                Scope::Database(db) => database_denied(who, db, Some(privilege)),
                Scope::Table { db, table } => denied(
                    1142,
                    format!(
                        "{} command denied to user {} for table `{db}`.`{table}`",
                        if privilege == Privilege::GrantOption {
                            "GRANT"
                        } else {
                            privilege.sql()
                        },
                        who.quoted()
                    ),
                    format!(
                        "{} 계정에는 `{db}`.`{table}` 표의 {} 권한이 없습니다",
                        who.quoted(),
                        privilege.sql()
                    ),
                    Some(table.clone()),
                    Some(format!(
                        "GRANT {} ON {db}.{table} TO {}{}",
                        if privilege == Privilege::GrantOption {
                            "SELECT"
                        } else {
                            privilege.sql()
                        },
                        who.quoted(),
                        if privilege == Privilege::GrantOption {
                            " WITH GRANT OPTION"
                        } else {
                            ""
                        }
                    )),
                ),
            });
        }
        Ok(())
    }

    /// The scope a GRANT/REVOKE names; a table must exist.
    fn grant_scope(&self, target: &Target) -> Result<Scope, SqlError> {
        Ok(match target {
            Target::AllDatabases => Scope::Global,
            Target::CurrentDatabase => Scope::Database(self.state.current_db.clone()),
            Target::Database(db) => Scope::Database(db.clone()),
            Target::Table(db, table) => {
                let db = db.clone().unwrap_or_else(|| self.state.current_db.clone());
                let storage = crate::dialect::storage_name(&db, table);
                if !self.table_exists(&storage) && !self.state.views.contains_key(&storage) {
                    return Err(SqlError::NotFound {
                        what: "table",
                        name: format!("{db}.{table}"),
                    });
                }
                Scope::Table {
                    db,
                    table: table.clone(),
                }
            }
        })
    }

    /// The privileges a GRANT/REVOKE lists, checked against its scope (MySQL's 1221 for a
    /// privilege that does not exist at that level; 1054 for an unknown column).
    fn privileges_of(&self, specs: &[PrivSpec], scope: &Scope) -> Result<Privileges, SqlError> {
        let level = scope.level();
        let mut held = Privileges::default();
        for spec in specs {
            match spec {
                PrivSpec::Usage => {}
                PrivSpec::All => held.privileges.extend(Privilege::all_at(level)),
                PrivSpec::One(p, cols) if cols.is_empty() => {
                    if !p.valid_at(level) {
                        return Err(wrong_level(*p));
                    }
                    held.privileges.insert(*p);
                }
                PrivSpec::One(p, cols) => {
                    let Scope::Table { db, table } = scope else {
                        return Err(wrong_level(*p));
                    };
                    if !p.valid_at(Level::Column) {
                        return Err(wrong_level(*p));
                    }
                    let storage = crate::dialect::storage_name(db, table);
                    let known: Vec<String> = self
                        .schema()
                        .into_iter()
                        .filter(|t| t.database == *db && t.name == *table)
                        .flat_map(|t| t.columns.into_iter().map(|c| c.name))
                        .collect();
                    let mut set = BTreeSet::new();
                    for c in cols {
                        let Some(found) = known.iter().find(|k| k.eq_ignore_ascii_case(c)) else {
                            let _ = storage;
                            return Err(SqlError::NotFound {
                                what: "column",
                                name: format!("{table}.{c}"),
                            });
                        };
                        set.insert(found.clone());
                    }
                    held.columns.entry(*p).or_default().extend(set);
                }
            }
        }
        Ok(held)
    }

    /// Accounts and grants as rows of `mysql.user` (what `SELECT user, host FROM mysql.user`
    /// reads): host, user, the password's hash, the plugin.
    pub(crate) fn mysql_user_rows(&self) -> (Vec<String>, Vec<Vec<gluesql_core::data::Value>>) {
        use gluesql_core::data::Value;
        let accounts: &Accounts = &self.state.accounts;
        let rows = std::iter::once((AccountName::root(), None))
            .chain(
                accounts
                    .accounts
                    .iter()
                    .map(|a| (a.name.clone(), a.password_hash.clone())),
            )
            .map(|(n, hash)| {
                vec![
                    Value::Str(n.host),
                    Value::Str(n.user),
                    Value::Str(hash.clone().unwrap_or_default()),
                    Value::Str("mysql_native_password".to_owned()),
                    Value::Str(hash.unwrap_or_default()),
                ]
            })
            .collect();
        let labels = [
            "Host",
            "User",
            "Password",
            "plugin",
            "authentication_string",
        ]
        .map(str::to_owned)
        .to_vec();
        (labels, rows)
    }
}

fn wrong_level(p: Privilege) -> SqlError {
    SqlError::Invalid(Localized::new(
        format!("{} 권한은 이 수준(전역/데이터베이스/표/열)에서 줄 수 없습니다 (MySQL 오류 1221)", p.sql()),
        format!("Incorrect usage of DB GRANT and GLOBAL PRIVILEGES: {} cannot be granted at this level (MySQL error 1221)", p.sql()),
    ))
}

/// MySQL's errors 1141 (global, database) and 1147 (table).
fn no_such_grant(who: &AccountName, scope: &Scope) -> SqlError {
    match scope {
        Scope::Table { table, .. } => SqlError::Invalid(Localized::new(
            format!("{} 계정에 `{table}` 표에 대해 준 권한이 없습니다 (MySQL 오류 1147)", who.quoted()),
            format!(
                "There is no such grant defined for user '{}' on host '{}' on table '{table}' (MySQL error 1147)",
                who.user, who.host
            ),
        )),
        _ => SqlError::Invalid(Localized::new(
            format!("{} 계정에 그 수준으로 준 권한이 없습니다 (MySQL 오류 1141)", who.quoted()),
            format!(
                "There is no such grant defined for user '{}' on host '{}' (MySQL error 1141)",
                who.user, who.host
            ),
        )),
    }
}

/// `CREATE USER` and `GRANT` statements that make `accounts` again (for the `.sql` dump).
pub fn dump_accounts(accounts: &Accounts) -> Vec<String> {
    let mut out = Vec::new();
    for a in &accounts.accounts {
        let mut line = format!("CREATE USER {}", a.name.quoted());
        if let Some(h) = &a.password_hash {
            line.push_str(&format!(" IDENTIFIED WITH mysql_native_password AS '{h}'"));
        }
        out.push(line);
    }
    for a in &accounts.accounts {
        out.extend(
            accounts
                .show_grants(&a.name)
                .into_iter()
                .filter(|l| !l.starts_with("GRANT USAGE ON *.* ")),
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_and_targets_parse() {
        let s = parse("GRANT SELECT, UPDATE (kor, eng) ON school.students TO 'bob'@'localhost', ann@'%' WITH GRANT OPTION").unwrap_or(AccountStatement::FlushPrivileges);
        let AccountStatement::Grant {
            privileges,
            target,
            users,
            grant_option,
        } = s
        else {
            panic!("not a grant");
        };
        assert_eq!(
            privileges,
            vec![
                PrivSpec::One(Privilege::Select, vec![]),
                PrivSpec::One(Privilege::Update, vec!["kor".into(), "eng".into()])
            ]
        );
        assert_eq!(
            target,
            Target::Table(Some("school".into()), "students".into())
        );
        assert_eq!(
            users,
            vec![
                AccountName::new("bob", "localhost"),
                AccountName::new("ann", "%")
            ]
        );
        assert!(grant_option);
        assert!(matches!(
            parse("REVOKE ALL PRIVILEGES, GRANT OPTION FROM 'bob'@'localhost'"),
            Ok(AccountStatement::RevokeAll { .. })
        ));
        assert!(matches!(
            parse("GRANT CREATE VIEW, CREATE ON *.* TO `x`@`h`"),
            Ok(AccountStatement::Grant {
                target: Target::AllDatabases,
                ..
            })
        ));
        assert!(matches!(
            parse("create user if not exists 'a'@'localhost' identified by 'pw'"),
            Ok(AccountStatement::CreateUser {
                if_not_exists: true,
                ..
            })
        ));
        assert!(parse("GRANT SELECT ON TO bob").is_err());
        assert!(parse("GRANT FROBNICATE ON *.* TO bob").is_err());
        assert!(parse("CREATE USER 'unterminated").is_err());
    }

    #[test]
    fn the_hash_is_mysql_native_password() {
        // The well-known hash of the password "password".
        assert_eq!(
            password_hash("password"),
            "*2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19"
        );
    }
}
