//! Recursive-descent parser of rule sets: reads the header and the rules, checks every comparison against
//! the field's type and every literal against what the field can hold, and refuses protected attributes.
//!
//! ```text
//! ruleset    = "ruleset" STRING "version" NUMBER threshold* rule*
//! threshold  = ("review_threshold" | "priority_threshold") NUMBER
//! rule       = "rule" ID STRING "when" expr "score" NUMBER
//! expr       = and ("or" and)*
//! and        = unary ("and" unary)*
//! unary      = "not" unary | "(" expr ")" | test
//! test       = FIELD [op operand]
//! op         = "==" | "!=" | "<" | "<=" | ">" | ">=" | "in" | "not" "in" | "contains" | "starts_with"
//! operand    = FIELD | STRING | NUMBER | "true" | "false" | "[" literal ("," literal)* "]"
//! ```

use super::error::{RuleError, RuleErrorKind};
use super::expr::{Expr, Op, Operand, Test};
use super::fields::{Field, FieldKind, LiteralCheck, nearest_field};
use super::lexer::{CmpOp, Pos, Token, TokenKind, tokenize};
use super::protected::{Finding, check_identifier, check_literal};
use super::{
    MAX_CONDITIONS_PER_RULE, MAX_DEPTH, MAX_INPUT_BYTES, MAX_LIST_ITEMS, MAX_RULES, MAX_SCORE,
    MAX_THRESHOLD, Rule, RuleSet, TravellerRole,
};
use crate::CountryCode;

const KEYWORDS: &[&str] = &[
    "ruleset",
    "version",
    "review_threshold",
    "priority_threshold",
    "rule",
    "when",
    "score",
    "and",
    "or",
    "not",
    "in",
    "contains",
    "starts_with",
    "true",
    "false",
];

pub(crate) fn parse(text: &str) -> Result<RuleSet, RuleError> {
    if text.len() > MAX_INPUT_BYTES {
        let cut = (0..=MAX_INPUT_BYTES)
            .rev()
            .find(|i| text.is_char_boundary(*i))
            .unwrap_or(0);
        let before = &text[..cut];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        return Err(RuleError {
            line: u32::try_from(line).unwrap_or(u32::MAX),
            column: u32::try_from(column).unwrap_or(u32::MAX),
            byte_offset: cut,
            rule: None,
            kind: RuleErrorKind::InputTooLarge {
                bytes: text.len(),
                max: MAX_INPUT_BYTES,
            },
        });
    }
    let tokens = tokenize(text)?;
    refuse_protected_words(&tokens)?;
    let mut parser = Parser {
        tokens,
        next: 0,
        rule: None,
        conditions: 0,
    };
    parser.ruleset()
}

/// Looks at every bare word before parsing, so a protected attribute is refused wherever it appears (even
/// where the grammar would refuse it anyway) and the refusal always gives the Art. 6(4) reason.
fn refuse_protected_words(tokens: &[Token<'_>]) -> Result<(), RuleError> {
    let mut rule: Option<&str> = None;
    for (i, token) in tokens.iter().enumerate() {
        let TokenKind::Word(word) = token.kind else {
            continue;
        };
        if i > 0 && tokens[i - 1].kind == TokenKind::Word("rule") && !KEYWORDS.contains(&word) {
            rule = Some(word);
        }
        if let Some(found) = check_identifier(word) {
            return Err(protected(token.at, rule, found));
        }
    }
    Ok(())
}

fn protected(at: Pos, rule: Option<&str>, found: Finding) -> RuleError {
    at.error(
        rule,
        RuleErrorKind::Protected {
            term: found.term,
            category: found.category,
            proxy: found.proxy,
        },
    )
}

struct Parser<'a> {
    tokens: Vec<Token<'a>>,
    next: usize,
    /// The id of the rule being read, for error messages.
    rule: Option<String>,
    /// Comparisons read so far in the current rule.
    conditions: usize,
}

/// A right-hand side as read, with its position for type errors.
struct Read {
    operand: Operand,
    at: Pos,
    /// Position of each list item, for refusing one item of a list.
    item_positions: Vec<Pos>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> &Token<'a> {
        // `tokenize` always ends with `End`, and `advance` never moves past it.
        &self.tokens[self.next.min(self.tokens.len() - 1)]
    }

    fn peek_second(&self) -> &TokenKind<'a> {
        &self.tokens[(self.next + 1).min(self.tokens.len() - 1)].kind
    }

    fn advance(&mut self) -> Token<'a> {
        let token = self.peek().clone();
        if token.kind != TokenKind::End {
            self.next += 1;
        }
        token
    }

    fn error(&self, at: Pos, kind: RuleErrorKind) -> RuleError {
        at.error(self.rule.as_deref(), kind)
    }

    fn unexpected(&self, token: &Token<'_>, expected: &str) -> RuleError {
        self.error(
            token.at,
            RuleErrorKind::Unexpected {
                expected: expected.to_owned(),
                found: token.kind.describe(),
            },
        )
    }

    fn type_error(&self, at: Pos, message: String) -> RuleError {
        self.error(at, RuleErrorKind::Type { message })
    }

    fn at_word(&self, word: &str) -> bool {
        self.peek().kind == TokenKind::Word(word)
    }

    fn keyword(&mut self, word: &str) -> Result<Pos, RuleError> {
        let token = self.advance();
        if token.kind == TokenKind::Word(word) {
            Ok(token.at)
        } else {
            Err(self.unexpected(&token, &format!("`{word}`")))
        }
    }

    fn text(&mut self, what: &str) -> Result<(String, Pos), RuleError> {
        let token = self.advance();
        match token.kind {
            TokenKind::Text(text) => Ok((text, token.at)),
            _ => Err(self.unexpected(&token, what)),
        }
    }

    fn number_in(&mut self, what: &'static str, min: i64, max: i64) -> Result<u32, RuleError> {
        let token = self.advance();
        let TokenKind::Number(value) = token.kind else {
            return Err(self.unexpected(&token, &format!("{what} (a whole number)")));
        };
        if value < min || value > max {
            return Err(self.error(
                token.at,
                RuleErrorKind::OutOfRange {
                    what,
                    value,
                    min,
                    max,
                },
            ));
        }
        u32::try_from(value).map_err(|_| {
            self.error(
                token.at,
                RuleErrorKind::OutOfRange {
                    what,
                    value,
                    min,
                    max,
                },
            )
        })
    }

    fn ruleset(&mut self) -> Result<RuleSet, RuleError> {
        self.keyword("ruleset")?;
        let (name, at) = self.text("the rule set's name in double quotes")?;
        if name.trim().is_empty() {
            return Err(self.error(
                at,
                RuleErrorKind::Unexpected {
                    expected: "a name".to_owned(),
                    found: "an empty string".to_owned(),
                },
            ));
        }
        self.keyword("version")?;
        let version = self.number_in("version", 1, i64::from(u32::MAX))?;
        let mut review_threshold = None;
        let mut priority_threshold = None;
        loop {
            let token = self.peek().clone();
            let slot = match token.kind {
                TokenKind::Word("review_threshold") => &mut review_threshold,
                TokenKind::Word("priority_threshold") => &mut priority_threshold,
                _ => break,
            };
            if slot.is_some() {
                return Err(self.unexpected(&token, "`rule` (the threshold is already set)"));
            }
            self.advance();
            *slot = Some(self.number_in("a threshold", 1, MAX_THRESHOLD)?);
            if let (Some(review), Some(priority)) = (review_threshold, priority_threshold)
                && priority < review
            {
                return Err(self.error(
                    token.at,
                    RuleErrorKind::OutOfRange {
                        what: "priority_threshold",
                        value: i64::from(priority),
                        min: i64::from(review),
                        max: MAX_THRESHOLD,
                    },
                ));
            }
        }
        let mut rules: Vec<(Rule, u32)> = Vec::new();
        loop {
            let token = self.peek().clone();
            match token.kind {
                TokenKind::End => break,
                TokenKind::Word("rule") => {
                    if rules.len() == MAX_RULES {
                        return Err(
                            self.error(token.at, RuleErrorKind::TooManyRules { max: MAX_RULES })
                        );
                    }
                    let (rule, id_at) = self.rule()?;
                    if let Some((_, first_line)) = rules.iter().find(|(r, _)| r.id == rule.id) {
                        return Err(self.error(
                            id_at,
                            RuleErrorKind::DuplicateRule {
                                id: rule.id,
                                first_line: *first_line,
                            },
                        ));
                    }
                    rules.push((rule, id_at.line));
                    // What follows is between rules: errors there belong to no rule.
                    self.rule = None;
                }
                _ => {
                    let expected = if rules.is_empty() {
                        "`rule`, `review_threshold` or `priority_threshold`"
                    } else {
                        "`rule` or the end of the rule set"
                    };
                    return Err(self.unexpected(&token, expected));
                }
            }
        }
        Ok(RuleSet {
            name,
            version,
            review_threshold: review_threshold.unwrap_or(1),
            priority_threshold,
            rules: rules.into_iter().map(|(r, _)| r).collect(),
        })
    }

    fn rule(&mut self) -> Result<(Rule, Pos), RuleError> {
        self.keyword("rule")?;
        self.rule = None;
        self.conditions = 0;
        let token = self.advance();
        let id = match token.kind {
            TokenKind::Word(word) if !KEYWORDS.contains(&word) => word.to_owned(),
            _ => return Err(self.unexpected(&token, "a rule id such as `R-001`")),
        };
        self.rule = Some(id.clone());
        let (title, at) = self.text("the rule's title in double quotes")?;
        if title.trim().is_empty() {
            return Err(self.error(
                at,
                RuleErrorKind::Unexpected {
                    expected: "a title saying what the rule looks for".to_owned(),
                    found: "an empty string".to_owned(),
                },
            ));
        }
        self.keyword("when")?;
        let condition = self.expr(0)?;
        self.keyword("score")?;
        let score = self.number_in("score", 0, MAX_SCORE)?;
        Ok((
            Rule {
                id,
                title,
                score,
                condition,
            },
            token.at,
        ))
    }

    fn expr(&mut self, depth: usize) -> Result<Expr, RuleError> {
        let mut parts = vec![self.and(depth)?];
        while self.at_word("or") {
            self.advance();
            parts.push(self.and(depth)?);
        }
        Ok(join(parts, Expr::Any))
    }

    fn and(&mut self, depth: usize) -> Result<Expr, RuleError> {
        let mut parts = vec![self.unary(depth)?];
        while self.at_word("and") {
            self.advance();
            parts.push(self.unary(depth)?);
        }
        Ok(join(parts, Expr::All))
    }

    fn unary(&mut self, depth: usize) -> Result<Expr, RuleError> {
        let token = self.peek().clone();
        let nests = token.kind == TokenKind::Word("not") || token.kind == TokenKind::LParen;
        if nests && depth >= MAX_DEPTH {
            return Err(self.error(token.at, RuleErrorKind::TooDeep { max: MAX_DEPTH }));
        }
        match token.kind {
            TokenKind::Word("not") => {
                self.advance();
                Ok(Expr::Not(Box::new(self.unary(depth + 1)?)))
            }
            TokenKind::LParen => {
                self.advance();
                let inner = self.expr(depth + 1)?;
                let close = self.advance();
                if close.kind != TokenKind::RParen {
                    return Err(self.unexpected(&close, "`)`, `and` or `or`"));
                }
                Ok(inner)
            }
            _ => {
                self.conditions += 1;
                if self.conditions > MAX_CONDITIONS_PER_RULE {
                    return Err(self.error(
                        token.at,
                        RuleErrorKind::TooManyConditions {
                            max: MAX_CONDITIONS_PER_RULE,
                        },
                    ));
                }
                self.test().map(Expr::Test)
            }
        }
    }

    fn field(&self, token: &Token<'_>) -> Result<Field, RuleError> {
        match token.kind {
            TokenKind::Word(word) if !KEYWORDS.contains(&word) => {
                Field::from_name(word).ok_or_else(|| {
                    self.error(
                        token.at,
                        RuleErrorKind::UnknownField {
                            name: word.to_owned(),
                            suggestion: nearest_field(word),
                        },
                    )
                })
            }
            TokenKind::Text(_)
            | TokenKind::Number(_)
            | TokenKind::LBracket
            | TokenKind::Word("true" | "false") => Err(self.type_error(
                token.at,
                format!(
                    "a comparison starts with a field, found {}: write `payment contains \"CA\"` rather than `\"CA\" in payment`",
                    token.kind.describe()
                ),
            )),
            _ => Err(self.unexpected(token, "a field name, `not` or `(`")),
        }
    }

    fn test(&mut self) -> Result<Test, RuleError> {
        let token = self.advance();
        let field = self.field(&token)?;
        let op_token = self.peek().clone();
        let op = match op_token.kind {
            TokenKind::Cmp(op) => Op::Cmp(op),
            TokenKind::Word("in") => Op::In,
            TokenKind::Word("contains") => Op::Contains,
            TokenKind::Word("starts_with") => Op::StartsWith,
            TokenKind::Word("not") if *self.peek_second() == TokenKind::Word("in") => {
                self.advance();
                Op::NotIn
            }
            TokenKind::Word("not") => {
                self.advance();
                return Err(self.unexpected(self.peek(), "`in` after `not`"));
            }
            _ => {
                if field.kind() == FieldKind::Flag {
                    return Ok(Test {
                        field,
                        op: Op::IsTrue,
                        rhs: Operand::None,
                    });
                }
                return Err(self.error(
                    op_token.at,
                    RuleErrorKind::Unexpected {
                        expected: format!(
                            "an operator after `{}`, which is {} and cannot stand alone",
                            field.name(),
                            field.kind().describe()
                        ),
                        found: op_token.kind.describe(),
                    },
                ));
            }
        };
        self.advance();
        let rhs = self.operand()?;
        self.check(field, op, op_token.at, rhs)
    }

    fn operand(&mut self) -> Result<Read, RuleError> {
        let token = self.advance();
        let operand = match token.kind {
            TokenKind::Word("true") => Operand::Flag(true),
            TokenKind::Word("false") => Operand::Flag(false),
            TokenKind::Word(_) => Operand::Field(self.field(&token)?),
            TokenKind::Text(text) => {
                self.refuse_protected_literal(token.at, &text)?;
                Operand::Text(text)
            }
            TokenKind::Number(n) => Operand::Number(n),
            TokenKind::LBracket => return self.list(token.at),
            _ => return Err(self.unexpected(&token, "a value, a list or a field")),
        };
        Ok(Read {
            operand,
            at: token.at,
            item_positions: Vec::new(),
        })
    }

    fn refuse_protected_literal(&self, at: Pos, text: &str) -> Result<(), RuleError> {
        match check_literal(text) {
            Some(found) => Err(protected(at, self.rule.as_deref(), found)),
            None => Ok(()),
        }
    }

    fn list(&mut self, at: Pos) -> Result<Read, RuleError> {
        let mut texts = Vec::new();
        let mut numbers = Vec::new();
        let mut item_positions = Vec::new();
        loop {
            let token = self.advance();
            match token.kind {
                TokenKind::Text(text) if numbers.is_empty() => {
                    self.refuse_protected_literal(token.at, &text)?;
                    texts.push(text);
                }
                TokenKind::Number(n) if texts.is_empty() => numbers.push(n),
                TokenKind::Text(_) | TokenKind::Number(_) => {
                    return Err(self.type_error(
                        token.at,
                        "a list holds only strings or only numbers".to_owned(),
                    ));
                }
                TokenKind::RBracket if item_positions.is_empty() => {
                    return Err(self.type_error(
                        token.at,
                        "an empty list matches nothing; give at least one value".to_owned(),
                    ));
                }
                _ => return Err(self.unexpected(&token, "a string or a number")),
            }
            item_positions.push(token.at);
            if item_positions.len() > MAX_LIST_ITEMS {
                return Err(self.error(
                    token.at,
                    RuleErrorKind::TooManyItems {
                        max: MAX_LIST_ITEMS,
                    },
                ));
            }
            let after = self.advance();
            match after.kind {
                TokenKind::Comma => {}
                TokenKind::RBracket => break,
                _ => return Err(self.unexpected(&after, "`,` or `]`")),
            }
        }
        let operand = if numbers.is_empty() {
            Operand::Texts(texts)
        } else {
            Operand::Numbers(numbers)
        };
        Ok(Read {
            operand,
            at,
            item_positions,
        })
    }

    /// Type-checks one comparison. The rules: numbers compare with numbers; flags stand alone or compare
    /// with `true`/`false`; codes and lists of codes compare with strings, string lists or other code
    /// fields; `contains` and `starts_with` take a string; a role compares only with role names.
    fn check(&self, field: Field, op: Op, op_at: Pos, read: Read) -> Result<Test, RuleError> {
        let kind = field.kind();
        let name = field.name();
        let what = kind.describe();
        let rhs_kind = match &read.operand {
            Operand::Field(f) => Some(f.kind()),
            _ => None,
        };
        let ok = match (kind, op, &read.operand) {
            (FieldKind::Flag, Op::Cmp(CmpOp::Eq | CmpOp::Ne), Operand::Flag(_)) => true,
            (FieldKind::Number, Op::Cmp(_), Operand::Number(_)) => true,
            (FieldKind::Number, Op::Cmp(_), Operand::Field(_)) => {
                rhs_kind == Some(FieldKind::Number)
            }
            (FieldKind::Number, Op::In | Op::NotIn, Operand::Numbers(_)) => true,
            (
                FieldKind::Text | FieldKind::TextList | FieldKind::Role,
                Op::In | Op::NotIn,
                Operand::Texts(_),
            ) => true,
            (FieldKind::Text, Op::In | Op::NotIn, Operand::Field(_)) => {
                rhs_kind == Some(FieldKind::TextList)
            }
            (
                FieldKind::Text | FieldKind::TextList | FieldKind::Role,
                Op::Cmp(CmpOp::Eq | CmpOp::Ne),
                Operand::Text(_),
            ) => true,
            (
                FieldKind::Text | FieldKind::TextList,
                Op::Cmp(CmpOp::Eq | CmpOp::Ne),
                Operand::Field(_),
            ) => {
                matches!(
                    (kind, rhs_kind),
                    (_, Some(FieldKind::Text)) | (FieldKind::Text, Some(FieldKind::TextList))
                )
            }
            (
                FieldKind::Text | FieldKind::TextList,
                Op::Contains | Op::StartsWith,
                Operand::Text(_),
            ) => true,
            (FieldKind::TextList, Op::Contains, Operand::Field(_)) => {
                rhs_kind == Some(FieldKind::Text)
            }
            _ => false,
        };
        if !ok {
            // Point at the operator when no value could fit it, at the value otherwise.
            let at = if self.operator_fits(kind, op) {
                read.at
            } else {
                op_at
            };
            return Err(self.type_error(
                at,
                self.explain_mismatch(field, op, &read.operand, what, name),
            ));
        }
        self.check_literals(field, op, &read)?;
        Ok(Test {
            field,
            op,
            rhs: read.operand,
        })
    }

    /// Whether the operator makes sense for the field's kind at all (so the error can point at the
    /// operator rather than at the value).
    fn operator_fits(&self, kind: FieldKind, op: Op) -> bool {
        match kind {
            FieldKind::Flag => matches!(op, Op::Cmp(CmpOp::Eq | CmpOp::Ne)),
            FieldKind::Number => matches!(op, Op::Cmp(_) | Op::In | Op::NotIn),
            FieldKind::Role => matches!(op, Op::Cmp(CmpOp::Eq | CmpOp::Ne) | Op::In | Op::NotIn),
            FieldKind::Text | FieldKind::TextList => {
                !matches!(op, Op::Cmp(CmpOp::Lt | CmpOp::Le | CmpOp::Gt | CmpOp::Ge))
            }
        }
    }

    fn explain_mismatch(
        &self,
        field: Field,
        op: Op,
        rhs: &Operand,
        what: &str,
        name: &str,
    ) -> String {
        let kind = field.kind();
        let op_text = match op {
            Op::Cmp(c) => c.as_str(),
            Op::In => "in",
            Op::NotIn => "not in",
            Op::Contains => "contains",
            Op::StartsWith => "starts_with",
            Op::IsTrue => "",
        };
        if !self.operator_fits(kind, op) {
            let allowed = match kind {
                FieldKind::Flag => "`==`, `!=`, or the field alone",
                FieldKind::Number => "`==`, `!=`, `<`, `<=`, `>`, `>=`, `in`, `not in`",
                FieldKind::Role => "`==`, `!=`, `in`, `not in`",
                FieldKind::Text | FieldKind::TextList => {
                    "`==`, `!=`, `in`, `not in`, `contains`, `starts_with`"
                }
            };
            return format!(
                "`{op_text}` does not apply to `{name}`, which is {what}; use {allowed}"
            );
        }
        let found = match rhs {
            Operand::None => "nothing".to_owned(),
            Operand::Field(f) => {
                format!("the field `{}`, which is {}", f.name(), f.kind().describe())
            }
            Operand::Text(t) => format!("the string {}", super::lexer::quote(t)),
            Operand::Number(n) => format!("the number {n}"),
            Operand::Flag(b) => format!("`{b}`"),
            Operand::Texts(_) => "a list of strings".to_owned(),
            Operand::Numbers(_) => "a list of numbers".to_owned(),
        };
        let needs = match (kind, op) {
            (_, Op::In | Op::NotIn) => match kind {
                FieldKind::Number => "a list of numbers in `[...]`",
                FieldKind::Text => "a list of strings in `[...]` or a list field",
                _ => "a list of strings in `[...]`",
            },
            (_, Op::Contains | Op::StartsWith) => "a string",
            (FieldKind::Number, _) => "a number or a number field",
            (FieldKind::Flag, _) => "`true` or `false`",
            (FieldKind::Role, _) => "a role name in double quotes",
            (FieldKind::TextList, _) => "a string or a field holding one code",
            (FieldKind::Text, _) => "a string or a code field",
        };
        format!("`{name}` is {what}; `{op_text}` needs {needs} on its right, found {found}")
    }

    /// Refuses literals a field can never hold, so a typo does not make a rule that silently never fires.
    /// Prefix and substring tests (`starts_with`, `contains` on one code) take partial codes.
    fn check_literals(&self, field: Field, op: Op, read: &Read) -> Result<(), RuleError> {
        let partial =
            op == Op::StartsWith || (op == Op::Contains && field.kind() != FieldKind::TextList);
        if partial {
            return Ok(());
        }
        let items: Vec<(&str, Pos)> = match &read.operand {
            Operand::Text(t) => vec![(t.as_str(), read.at)],
            Operand::Texts(items) => items
                .iter()
                .map(String::as_str)
                .zip(read.item_positions.iter().copied())
                .collect(),
            _ => Vec::new(),
        };
        for (value, at) in items {
            let expected = match field.literal_check() {
                LiteralCheck::Any => None,
                LiteralCheck::Airport => (!(value.len() == 3
                    && value.bytes().all(|b| b.is_ascii_uppercase())))
                .then(|| "an IATA airport code is three capital letters, such as `IST`".to_owned()),
                LiteralCheck::Country => CountryCode::parse(value).err().map(|_| {
                    "expected an ISO 3166-1 alpha-3 or ICAO 9303 country code in capitals, such as `FRA` or `D`"
                        .to_owned()
                }),
                LiteralCheck::Role => TravellerRole::parse(value).is_none().then(|| {
                    let names: Vec<&str> = TravellerRole::ALL.iter().map(|r| r.as_str()).collect();
                    format!("the roles are {}", names.join(", "))
                }),
            };
            if let Some(expected) = expected {
                return Err(self.error(
                    at,
                    RuleErrorKind::InvalidValue {
                        field: field.name(),
                        value: value.to_owned(),
                        expected,
                    },
                ));
            }
        }
        Ok(())
    }
}

/// One part stays itself; several become `All`/`Any`, with nested parts of the same kind merged so the
/// tree stays flat and canonical text round-trips.
fn join(parts: Vec<Expr>, make: fn(Vec<Expr>) -> Expr) -> Expr {
    let mut parts = parts;
    if parts.len() == 1
        && let Some(only) = parts.pop()
    {
        return only;
    }
    let is_all = matches!(make(Vec::new()), Expr::All(_));
    let mut flat = Vec::with_capacity(parts.len());
    for part in parts {
        match part {
            Expr::All(inner) if is_all => flat.extend(inner),
            Expr::Any(inner) if !is_all => flat.extend(inner),
            other => flat.push(other),
        }
    }
    make(flat)
}
