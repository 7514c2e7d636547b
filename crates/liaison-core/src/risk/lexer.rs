//! Splits rule set text into tokens, each with its line, column and byte offset, refusing anything the
//! language has no use for with a message that says what to write instead.

use super::error::{RuleError, RuleErrorKind};
use super::{MAX_IDENT_CHARS, MAX_TEXT_CHARS};

/// Where a token starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Pos {
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) offset: usize,
}

impl Pos {
    pub(crate) fn error(self, rule: Option<&str>, kind: RuleErrorKind) -> RuleError {
        RuleError {
            line: self.line,
            column: self.column,
            byte_offset: self.offset,
            rule: rule.map(str::to_owned),
            kind,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

impl CmpOp {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenKind<'a> {
    /// A keyword, field name or rule id: `[A-Za-z_][A-Za-z0-9_.-]*`.
    Word(&'a str),
    Text(String),
    Number(i64),
    Cmp(CmpOp),
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    End,
}

impl TokenKind<'_> {
    /// How error messages show the token.
    pub(crate) fn describe(&self) -> String {
        match self {
            TokenKind::Word(w) => format!("`{w}`"),
            TokenKind::Text(t) => format!("the string {}", quote(t)),
            TokenKind::Number(n) => format!("the number {n}"),
            TokenKind::Cmp(op) => format!("`{}`", op.as_str()),
            TokenKind::LParen => "`(`".to_owned(),
            TokenKind::RParen => "`)`".to_owned(),
            TokenKind::LBracket => "`[`".to_owned(),
            TokenKind::RBracket => "`]`".to_owned(),
            TokenKind::Comma => "`,`".to_owned(),
            TokenKind::End => "the end of the rule set".to_owned(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Token<'a> {
    pub(crate) kind: TokenKind<'a>,
    pub(crate) at: Pos,
}

/// A string as the canonical form writes it: double quotes, with `"` and `\` escaped.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        if matches!(c, '"' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('"');
    out
}

struct Lexer<'a> {
    text: &'a str,
    offset: usize,
    line: u32,
    column: u32,
}

/// Every token of `text`, ending with [`TokenKind::End`]. The caller has bounded the length of `text`, which
/// bounds the number of tokens.
pub(crate) fn tokenize(text: &str) -> Result<Vec<Token<'_>>, RuleError> {
    let mut lexer = Lexer {
        text,
        // Editors on some systems start a UTF-8 file with a byte-order mark; it is not part of the text.
        offset: if text.starts_with('\u{feff}') { 3 } else { 0 },
        line: 1,
        column: 1,
    };
    let mut tokens = Vec::new();
    loop {
        let token = lexer.next_token()?;
        let end = token.kind == TokenKind::End;
        tokens.push(token);
        if end {
            return Ok(tokens);
        }
    }
}

impl<'a> Lexer<'a> {
    fn pos(&self) -> Pos {
        Pos {
            line: self.line,
            column: self.column,
            offset: self.offset,
        }
    }

    fn peek(&self) -> Option<char> {
        self.text[self.offset..].chars().next()
    }

    fn peek_second(&self) -> Option<char> {
        self.text[self.offset..].chars().nth(1)
    }

    fn bump(&mut self) -> Option<char> {
        let c = self.peek()?;
        self.offset += c.len_utf8();
        if c == '\n' {
            self.line += 1;
            self.column = 1;
        } else {
            self.column += 1;
        }
        Some(c)
    }

    fn invalid(at: Pos, message: impl Into<String>) -> RuleError {
        at.error(
            None,
            RuleErrorKind::InvalidToken {
                message: message.into(),
            },
        )
    }

    fn skip_blanks_and_comments(&mut self) {
        while let Some(c) = self.peek() {
            if c == '#' {
                while self.peek().is_some_and(|c| c != '\n') {
                    self.bump();
                }
            } else if c.is_whitespace() {
                self.bump();
            } else {
                break;
            }
        }
    }

    fn next_token(&mut self) -> Result<Token<'a>, RuleError> {
        self.skip_blanks_and_comments();
        let at = self.pos();
        let Some(c) = self.peek() else {
            return Ok(Token {
                kind: TokenKind::End,
                at,
            });
        };
        let kind = match c {
            '(' | ')' | '[' | ']' | ',' => {
                self.bump();
                match c {
                    '(' => TokenKind::LParen,
                    ')' => TokenKind::RParen,
                    '[' => TokenKind::LBracket,
                    ']' => TokenKind::RBracket,
                    _ => TokenKind::Comma,
                }
            }
            '=' | '!' | '<' | '>' => self.comparison(at, c)?,
            '&' | '|' => {
                let word = if c == '&' { "and" } else { "or" };
                return Err(Self::invalid(
                    at,
                    format!("write `{word}` instead of `{c}`"),
                ));
            }
            '"' => TokenKind::Text(self.string(at)?),
            '-' | '0'..='9' => TokenKind::Number(self.number(at)?),
            c if c.is_ascii_alphabetic() || c == '_' => TokenKind::Word(self.word(at)?),
            '\'' => {
                return Err(Self::invalid(at, "strings are written in double quotes"));
            }
            other => {
                return Err(Self::invalid(
                    at,
                    format!("unexpected character `{}`", other.escape_default()),
                ));
            }
        };
        Ok(Token { kind, at })
    }

    fn comparison(&mut self, at: Pos, first: char) -> Result<TokenKind<'a>, RuleError> {
        self.bump();
        let equals = self.peek() == Some('=');
        if equals {
            self.bump();
        }
        let op = match (first, equals) {
            ('=', true) => CmpOp::Eq,
            ('!', true) => CmpOp::Ne,
            ('<', false) => CmpOp::Lt,
            ('<', true) => CmpOp::Le,
            ('>', false) => CmpOp::Gt,
            ('>', true) => CmpOp::Ge,
            ('=', false) => return Err(Self::invalid(at, "write `==` to compare")),
            _ => return Err(Self::invalid(at, "write `!=` or `not` to negate")),
        };
        Ok(TokenKind::Cmp(op))
    }

    fn string(&mut self, at: Pos) -> Result<String, RuleError> {
        self.bump();
        let mut out = String::new();
        let mut chars = 0usize;
        loop {
            let here = self.pos();
            match self.bump() {
                None | Some('\n') => {
                    return Err(Self::invalid(
                        at,
                        "string not closed: a `\"` is missing before the end of the line",
                    ));
                }
                Some('"') => break,
                Some('\\') => match self.bump() {
                    Some(c @ ('"' | '\\')) => out.push(c),
                    _ => {
                        return Err(Self::invalid(
                            here,
                            "only `\\\"` and `\\\\` may follow a backslash in a string",
                        ));
                    }
                },
                Some(c) if c.is_control() => {
                    return Err(Self::invalid(
                        here,
                        format!("control character `{}` in a string", c.escape_default()),
                    ));
                }
                Some(c) => out.push(c),
            }
            chars += 1;
            if chars > MAX_TEXT_CHARS {
                return Err(at.error(
                    None,
                    RuleErrorKind::TooLong {
                        what: "a string",
                        chars,
                        max: MAX_TEXT_CHARS,
                    },
                ));
            }
        }
        Ok(out)
    }

    fn number(&mut self, at: Pos) -> Result<i64, RuleError> {
        let start = self.offset;
        if self.peek() == Some('-') {
            if !self.peek_second().is_some_and(|c| c.is_ascii_digit()) {
                return Err(Self::invalid(at, "a `-` must be followed by digits"));
            }
            self.bump();
        }
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.bump();
        }
        let text = &self.text[start..self.offset];
        if let Some(c) = self.peek()
            && (c.is_alphanumeric() || matches!(c, '.' | '_'))
        {
            return Err(Self::invalid(
                at,
                format!(
                    "`{text}{c}...` is not a number: numbers are whole, without units or decimals"
                ),
            ));
        }
        text.parse()
            .map_err(|_| Self::invalid(at, format!("the number {text} is too large")))
    }

    fn word(&mut self, at: Pos) -> Result<&'a str, RuleError> {
        let start = self.offset;
        while self
            .peek()
            .is_some_and(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
        {
            self.bump();
        }
        let word = &self.text[start..self.offset];
        if word.len() > MAX_IDENT_CHARS {
            return Err(at.error(
                None,
                RuleErrorKind::TooLong {
                    what: "a name",
                    chars: word.len(),
                    max: MAX_IDENT_CHARS,
                },
            ));
        }
        if let Some(c) = self.peek()
            && c.is_alphanumeric()
        {
            return Err(Self::invalid(
                self.pos(),
                format!(
                    "`{}` in a name: names use ASCII letters, digits, `_`, `-` and `.`",
                    c.escape_default()
                ),
            ));
        }
        Ok(word)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<TokenKind<'_>> {
        tokenize(text)
            .unwrap()
            .into_iter()
            .map(|t| t.kind)
            .collect()
    }

    #[test]
    fn tokens_and_positions() {
        let tokens = tokenize("rule R-001 \"a \\\"b\\\"\"\n  when x <= -5 # note\n[1,2]").unwrap();
        let got: Vec<(TokenKind<'_>, u32, u32)> = tokens
            .into_iter()
            .map(|t| (t.kind, t.at.line, t.at.column))
            .collect();
        assert_eq!(
            got,
            vec![
                (TokenKind::Word("rule"), 1, 1),
                (TokenKind::Word("R-001"), 1, 6),
                (TokenKind::Text("a \"b\"".into()), 1, 12),
                (TokenKind::Word("when"), 2, 3),
                (TokenKind::Word("x"), 2, 8),
                (TokenKind::Cmp(CmpOp::Le), 2, 10),
                (TokenKind::Number(-5), 2, 13),
                (TokenKind::LBracket, 3, 1),
                (TokenKind::Number(1), 3, 2),
                (TokenKind::Comma, 3, 3),
                (TokenKind::Number(2), 3, 4),
                (TokenKind::RBracket, 3, 5),
                (TokenKind::End, 3, 6),
            ]
        );
        assert_eq!(
            kinds("a>=b!=c"),
            vec![
                TokenKind::Word("a"),
                TokenKind::Cmp(CmpOp::Ge),
                TokenKind::Word("b"),
                TokenKind::Cmp(CmpOp::Ne),
                TokenKind::Word("c"),
                TokenKind::End
            ]
        );
    }

    #[test]
    fn refusals_name_the_place() {
        let cases = [
            ("x = 1", 1, 3, "write `==` to compare"),
            ("x && y", 1, 3, "write `and` instead of `&`"),
            ("\n  \"open", 2, 3, "string not closed"),
            ("x == 'CA'", 1, 6, "double quotes"),
            ("48h", 1, 1, "`48h...` is not a number"),
            ("4.5", 1, 1, "not a number"),
            ("99999999999999999999", 1, 1, "too large"),
            ("x @", 1, 3, "unexpected character `@`"),
            ("\"a\\n\"", 1, 3, "backslash"),
            ("- 3", 1, 1, "followed by digits"),
            ("caf\u{e9}", 1, 4, "names use ASCII"),
        ];
        for (text, line, column, message) in cases {
            let err = tokenize(text).unwrap_err();
            assert_eq!((err.line, err.column), (line, column), "{text}: {err}");
            assert!(err.to_string().contains(message), "{text}: {err}");
        }
    }

    #[test]
    fn byte_order_mark_is_skipped() {
        let tokens = tokenize("\u{feff}ruleset").unwrap();
        assert_eq!(tokens[0].kind, TokenKind::Word("ruleset"));
        assert_eq!(
            (tokens[0].at.line, tokens[0].at.column, tokens[0].at.offset),
            (1, 1, 3)
        );
    }

    #[test]
    fn quote_escapes() {
        assert_eq!(quote("a\"b\\c"), "\"a\\\"b\\\\c\"");
    }
}
