//! The part of TOML a lesson's front matter uses, read with the line of every key so an error
//! can name it: `key = value` with strings (basic, literal and both multi-line forms),
//! integers, booleans and arrays of them, and `[[array]]` tables. Anything else (dates, floats,
//! inline tables, dotted keys) is refused with its line, never guessed at.
//!
//! Why not the `toml` crate: the page reads lesson files too, and a full TOML reader would be
//! most of the cost of lessons in the page's wasm for features no lesson needs.

use super::LessonError;
use std::collections::BTreeMap;

/// One value, with the 1-based line it starts on.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Str(String),
    Int(i64),
    Bool(bool),
    Array(Vec<(u32, Value)>),
}

/// Keys of one table, each with its line.
pub type Table = BTreeMap<String, (u32, Value)>;

/// The whole document: the top-level keys and the `[[name]]` tables in order.
#[derive(Debug, Default)]
pub struct Document {
    pub root: Table,
    pub arrays: BTreeMap<String, Vec<(u32, Table)>>,
}

/// Reads `text`, whose first line is line `first_line` of the file.
pub fn parse(text: &str, first_line: u32) -> Result<Document, LessonError> {
    let mut reader = Reader {
        chars: text.chars().collect(),
        at: 0,
        line: first_line,
    };
    let mut doc = Document::default();
    // Where keys go: the root, or the last `[[name]]` table.
    let mut current: Option<String> = None;
    loop {
        reader.skip_blank_lines();
        let Some(c) = reader.peek() else { break };
        let line = reader.line;
        if c == '[' {
            let name = reader.table_header()?;
            doc.arrays
                .entry(name.clone())
                .or_default()
                .push((line, Table::new()));
            current = Some(name);
            continue;
        }
        let key = reader.key()?;
        reader.spaces();
        if !reader.eat('=') {
            return Err(reader.error("'=' expected after the key", "'=' expected after the key"));
        }
        reader.spaces();
        let value = reader.value()?;
        reader.end_of_line()?;
        let table = match &current {
            None => &mut doc.root,
            Some(name) => match doc.arrays.get_mut(name).and_then(|t| t.last_mut()) {
                Some((_, table)) => table,
                None => &mut doc.root,
            },
        };
        if table.contains_key(&key) {
            return Err(LessonError::at(
                line,
                format!("`{key}` 키가 두 번 있습니다"),
                format!("the key `{key}` is given twice"),
            ));
        }
        table.insert(key, (line, value));
    }
    Ok(doc)
}

struct Reader {
    chars: Vec<char>,
    at: usize,
    line: u32,
}

impl Reader {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.at += 1;
        if c == '\n' {
            self.line += 1;
        }
        Some(c)
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.bump();
            true
        } else {
            false
        }
    }

    fn starts_with(&self, s: &str) -> bool {
        s.chars()
            .enumerate()
            .all(|(i, c)| self.chars.get(self.at + i) == Some(&c))
    }

    fn error(&self, ko: &str, en: &str) -> LessonError {
        LessonError::at(self.line, ko, en)
    }

    fn spaces(&mut self) {
        while matches!(self.peek(), Some(' ' | '\t')) {
            self.bump();
        }
    }

    fn comment(&mut self) {
        if self.peek() == Some('#') {
            while !matches!(self.peek(), None | Some('\n')) {
                self.bump();
            }
        }
    }

    /// Blank lines, comments and whitespace, inside arrays too.
    fn skip_blank_lines(&mut self) {
        loop {
            self.spaces();
            self.comment();
            match self.peek() {
                Some('\n') => {
                    self.bump();
                }
                Some('\r') if self.chars.get(self.at + 1) == Some(&'\n') => {
                    self.bump();
                }
                _ => return,
            }
        }
    }

    fn end_of_line(&mut self) -> Result<(), LessonError> {
        self.spaces();
        self.comment();
        self.eat('\r');
        match self.peek() {
            None => Ok(()),
            Some('\n') => {
                self.bump();
                Ok(())
            }
            Some(c) => Err(LessonError::at(
                self.line,
                format!("줄 끝에 `{c}`(이)가 남았습니다"),
                format!("unexpected `{c}` after the value"),
            )),
        }
    }

    fn bare_key(&mut self) -> String {
        let mut key = String::new();
        while let Some(c) = self.peek() {
            if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
                key.push(c);
                self.bump();
            } else {
                break;
            }
        }
        key
    }

    fn key(&mut self) -> Result<String, LessonError> {
        let key = self.bare_key();
        if key.is_empty() {
            return Err(self.error(
                "키(이름 = 값)가 와야 합니다",
                "a key (name = value) was expected",
            ));
        }
        if self.peek() == Some('.') {
            return Err(self.error(
                "점으로 이은 키는 쓰지 않습니다",
                "dotted keys are not used in lesson files",
            ));
        }
        Ok(key)
    }

    fn table_header(&mut self) -> Result<String, LessonError> {
        if !self.starts_with("[[") {
            return Err(self.error(
                "표 머리는 [[hints]], [[wrong]]처럼 씁니다",
                "tables are written as [[hints]] or [[wrong]]",
            ));
        }
        self.bump();
        self.bump();
        self.spaces();
        let name = self.bare_key();
        self.spaces();
        if name.is_empty() || !self.starts_with("]]") {
            return Err(self.error(
                "표 머리가 ]]로 닫히지 않았습니다",
                "a table header lacks its ]]",
            ));
        }
        self.bump();
        self.bump();
        self.end_of_line()?;
        Ok(name)
    }

    fn value(&mut self) -> Result<Value, LessonError> {
        match self.peek() {
            Some('"') if self.starts_with("\"\"\"") => self.multiline(true).map(Value::Str),
            Some('\'') if self.starts_with("'''") => self.multiline(false).map(Value::Str),
            Some('"') => self.basic_string().map(Value::Str),
            Some('\'') => self.literal_string().map(Value::Str),
            Some('[') => self.array(),
            Some('{') => Err(self.error(
                "인라인 표({ … })는 쓰지 않습니다: [[이름]] 표로 쓰세요",
                "inline tables ({ … }) are not used: write a [[name]] table",
            )),
            _ => {
                let mut word = String::new();
                while let Some(c) = self.peek() {
                    if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '.' | ':') {
                        word.push(c);
                        self.bump();
                    } else {
                        break;
                    }
                }
                match word.as_str() {
                    "true" => Ok(Value::Bool(true)),
                    "false" => Ok(Value::Bool(false)),
                    _ => word.replace('_', "").parse::<i64>().map(Value::Int).map_err(|_| {
                        LessonError::at(
                            self.line,
                            format!("값 `{word}`을(를) 읽을 수 없습니다 (문자열은 따옴표로 감쌉니다)"),
                            format!("cannot read the value `{word}` (strings go in quotes)"),
                        )
                    }),
                }
            }
        }
    }

    fn unterminated(&self, start: u32) -> LessonError {
        LessonError::at(
            start,
            "문자열이 닫히지 않았습니다",
            "this string is never closed",
        )
    }

    fn escape(&mut self, out: &mut String) -> Result<(), LessonError> {
        let start = self.line;
        let Some(c) = self.bump() else {
            return Err(self.unterminated(start));
        };
        match c {
            '"' => out.push('"'),
            '\\' => out.push('\\'),
            'n' => out.push('\n'),
            't' => out.push('\t'),
            'r' => out.push('\r'),
            'b' => out.push('\u{8}'),
            'f' => out.push('\u{c}'),
            'u' | 'U' => {
                let len = if c == 'u' { 4 } else { 8 };
                let hex: String = (0..len).filter_map(|_| self.bump()).collect();
                match u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32) {
                    Some(ch) if hex.len() == len => out.push(ch),
                    _ => {
                        return Err(
                            self.error("\\u 뒤의 16진수가 올바르지 않습니다", "invalid \\u escape")
                        )
                    }
                }
            }
            other => {
                return Err(LessonError::at(
                    self.line,
                    format!("알 수 없는 이스케이프 \\{other}"),
                    format!("unknown escape \\{other}"),
                ))
            }
        }
        Ok(())
    }

    fn basic_string(&mut self) -> Result<String, LessonError> {
        let start = self.line;
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                None | Some('\n') => return Err(self.unterminated(start)),
                Some('"') => return Ok(out),
                Some('\\') => self.escape(&mut out)?,
                Some(c) => out.push(c),
            }
        }
    }

    fn literal_string(&mut self) -> Result<String, LessonError> {
        let start = self.line;
        self.bump();
        let mut out = String::new();
        loop {
            match self.bump() {
                None | Some('\n') => return Err(self.unterminated(start)),
                Some('\'') => return Ok(out),
                Some(c) => out.push(c),
            }
        }
    }

    /// `"""…"""` (escapes, a line-ending backslash joins lines) or `'''…'''` (as written);
    /// a newline right after the opening quotes is dropped.
    fn multiline(&mut self, basic: bool) -> Result<String, LessonError> {
        let start = self.line;
        let quote = if basic { '"' } else { '\'' };
        let close: String = std::iter::repeat_n(quote, 3).collect();
        for _ in 0..3 {
            self.bump();
        }
        if self.starts_with("\r\n") {
            self.bump();
        }
        self.eat('\n');
        let mut out = String::new();
        loop {
            if self.starts_with(&close) {
                for _ in 0..3 {
                    self.bump();
                }
                // Up to two more quotes belong to the string (`""""` ends with one quote).
                while self.peek() == Some(quote) && !self.starts_with(&close) {
                    out.push(quote);
                    self.bump();
                }
                return Ok(out);
            }
            match self.bump() {
                None => return Err(self.unterminated(start)),
                Some('\\') if basic => {
                    if matches!(self.peek(), Some('\n' | '\r' | ' ' | '\t')) {
                        while matches!(self.peek(), Some('\n' | '\r' | ' ' | '\t')) {
                            self.bump();
                        }
                    } else {
                        self.escape(&mut out)?;
                    }
                }
                Some('\r') if self.peek() == Some('\n') => {}
                Some(c) => out.push(c),
            }
        }
    }

    fn array(&mut self) -> Result<Value, LessonError> {
        let start = self.line;
        self.bump();
        let mut items = Vec::new();
        loop {
            self.skip_blank_lines();
            match self.peek() {
                None => {
                    return Err(LessonError::at(
                        start,
                        "배열이 ]로 닫히지 않았습니다",
                        "this array is never closed with ]",
                    ))
                }
                Some(']') => {
                    self.bump();
                    return Ok(Value::Array(items));
                }
                _ => {}
            }
            let line = self.line;
            items.push((line, self.value()?));
            self.skip_blank_lines();
            if !self.eat(',') {
                self.skip_blank_lines();
                if self.eat(']') {
                    return Ok(Value::Array(items));
                }
                if self.peek().is_none() {
                    return Err(LessonError::at(
                        start,
                        "배열이 ]로 닫히지 않았습니다",
                        "this array is never closed with ]",
                    ));
                }
                return Err(self.error(
                    "배열의 값 사이에는 쉼표가 옵니다",
                    "array values are separated by commas",
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root(text: &str) -> Table {
        parse(text, 1).expect("parses").root
    }

    #[test]
    fn strings_of_every_form() {
        let t = root(concat!(
            "a = \"x\\ty \\\"q\\\" \\u00e9\"\n",
            "b = 'C:\\path'\n",
            "c = \"\"\"\nSELECT *\n  FROM t;\n\"\"\"\n",
            "d = '''\nraw \\n '''\n",
            "e = \"\"\"one \\\n   two\"\"\"\n",
            "# a comment\n",
            "f = [\"x\", 'y',\n  \"z\", ] # trailing\n",
            "g = 3\nh = true\n",
        ));
        let s = |k: &str| match &t[k].1 {
            Value::Str(s) => s.clone(),
            v => panic!("{k}: {v:?}"),
        };
        assert_eq!(s("a"), "x\ty \"q\" é");
        assert_eq!(s("b"), "C:\\path");
        assert_eq!(s("c"), "SELECT *\n  FROM t;\n");
        assert_eq!(s("d"), "raw \\n ");
        assert_eq!(s("e"), "one two");
        assert_eq!(t["f"].0, 12);
        assert!(matches!(&t["f"].1, Value::Array(v) if v.len() == 3));
        assert_eq!(t["g"].1, Value::Int(3));
        assert_eq!(t["h"].1, Value::Bool(true));
    }

    #[test]
    fn array_tables_collect_in_order() {
        let doc = parse(
            "id = 'x'\n[[hints]]\ntext = 'one'\n\n[[hints]]\ntext = 'two'\n",
            2,
        )
        .expect("parses");
        let hints = &doc.arrays["hints"];
        assert_eq!(hints.len(), 2);
        assert_eq!(hints[1].0, 6);
        assert_eq!(hints[1].1["text"].1, Value::Str("two".into()));
    }

    #[test]
    fn errors_name_their_line() {
        for (text, line) in [
            ("a = 'x'\nb = \"open\n", 2),
            ("a = 'x'\na = 'y'\n", 2),
            ("\n\nc = {x = 1}\n", 3),
            ("d = 1.5\n", 1),
            ("e = [1, 2\n", 1),
            ("f = 'x' g\n", 1),
            ("[table]\n", 1),
            ("h = \"\"\"\nnever closed\n", 1),
        ] {
            let err = parse(text, 1).expect_err(text);
            assert_eq!(err.line, line, "{text}: {err}");
        }
    }
}
