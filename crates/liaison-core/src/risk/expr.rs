//! Conditions after parsing and type checking: how they evaluate on a traveller's facts (three-valued, so
//! missing data never makes a rule fire), how a hit is explained, and how a condition is written back in
//! canonical form.

use std::fmt::Write as _;

use super::fields::{Field, Value};
use super::lexer::{CmpOp, quote};
use super::{Reason, TravelFacts};

/// The result of a condition on one traveller. `Unknown` means the facts needed are missing: a rule fires
/// only on `True`, and `not Unknown` stays `Unknown`, so no negation turns absent data into a hit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Truth {
    True,
    False,
    Unknown,
}

impl Truth {
    fn from_bool(b: bool) -> Truth {
        if b { Truth::True } else { Truth::False }
    }

    fn negate(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Op {
    /// A flag field on its own: `one_way`.
    IsTrue,
    Cmp(CmpOp),
    In,
    NotIn,
    Contains,
    StartsWith,
}

impl Op {
    fn as_str(self) -> &'static str {
        match self {
            Op::IsTrue => "",
            Op::Cmp(op) => op.as_str(),
            Op::In => "in",
            Op::NotIn => "not in",
            Op::Contains => "contains",
            Op::StartsWith => "starts_with",
        }
    }
}

/// The right-hand side of a comparison.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Operand {
    None,
    Field(Field),
    Text(String),
    Number(i64),
    Flag(bool),
    Texts(Vec<String>),
    Numbers(Vec<i64>),
}

/// One type-checked comparison: a field on the left, an operator, and a literal or field on the right.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Test {
    pub(crate) field: Field,
    pub(crate) op: Op,
    pub(crate) rhs: Operand,
}

/// A condition. `All` and `Any` are flat (the parser merges `a and (b and c)`), so evaluation depth is
/// bounded by the nesting of parentheses and `not`, which the parser limits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expr {
    All(Vec<Expr>),
    Any(Vec<Expr>),
    Not(Box<Expr>),
    Test(Test),
}

impl Expr {
    pub(crate) fn truth(&self, facts: &TravelFacts) -> Truth {
        match self {
            Expr::Test(test) => test.truth(facts),
            Expr::Not(inner) => inner.truth(facts).negate(),
            Expr::All(parts) => {
                let mut result = Truth::True;
                for part in parts {
                    match part.truth(facts) {
                        Truth::False => return Truth::False,
                        Truth::Unknown => result = Truth::Unknown,
                        Truth::True => {}
                    }
                }
                result
            }
            Expr::Any(parts) => {
                let mut result = Truth::False;
                for part in parts {
                    match part.truth(facts) {
                        Truth::True => return Truth::True,
                        Truth::Unknown => result = Truth::Unknown,
                        Truth::False => {}
                    }
                }
                result
            }
        }
    }

    /// The conditions that made a true expression true, each with the facts it read. `not` is explained as
    /// a whole, since what held is that its inner condition did not.
    pub(crate) fn explain(&self, facts: &TravelFacts, out: &mut Vec<Reason>) {
        match self {
            Expr::All(parts) => {
                for part in parts {
                    part.explain(facts, out);
                }
            }
            Expr::Any(parts) => {
                for part in parts {
                    if part.truth(facts) == Truth::True {
                        part.explain(facts, out);
                    }
                }
            }
            Expr::Not(_) | Expr::Test(_) => {
                let mut fields = Vec::new();
                self.fields(&mut fields);
                let observed = fields
                    .iter()
                    .map(|f| format!("{}: {}", f.name(), show(f.value(facts))))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(Reason {
                    condition: self.to_text(),
                    observed,
                });
            }
        }
    }

    /// Every field the expression reads, each once, in order of appearance.
    pub(crate) fn fields(&self, out: &mut Vec<Field>) {
        let mut add = |f: Field| {
            if !out.contains(&f) {
                out.push(f);
            }
        };
        match self {
            Expr::Test(test) => {
                add(test.field);
                if let Operand::Field(other) = test.rhs {
                    add(other);
                }
            }
            Expr::Not(inner) => inner.fields(out),
            Expr::All(parts) | Expr::Any(parts) => {
                for part in parts {
                    part.fields(out);
                }
            }
        }
    }

    /// How tightly the expression binds, for deciding where canonical text needs parentheses.
    fn precedence(&self) -> u8 {
        match self {
            Expr::Any(_) => 1,
            Expr::All(_) => 2,
            Expr::Not(_) => 3,
            Expr::Test(_) => 4,
        }
    }

    pub(crate) fn to_text(&self) -> String {
        let mut out = String::new();
        self.write(&mut out, 0);
        out
    }

    fn write(&self, out: &mut String, context: u8) {
        let parens = self.precedence() < context;
        if parens {
            out.push('(');
        }
        match self {
            Expr::Any(parts) | Expr::All(parts) => {
                let (joiner, inner) = match self {
                    Expr::Any(_) => (" or ", 1),
                    _ => (" and ", 2),
                };
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push_str(joiner);
                    }
                    part.write(out, inner);
                }
            }
            Expr::Not(inner) => {
                out.push_str("not ");
                match inner.as_ref() {
                    // `not (via in ["IST"])` rather than `not via in ["IST"]`, which a reader could take
                    // for `(not via) in ["IST"]`; only a bare flag reads well without parentheses.
                    Expr::Test(test) if test.op != Op::IsTrue => {
                        out.push('(');
                        test.write(out);
                        out.push(')');
                    }
                    _ => inner.write(out, 3),
                }
            }
            Expr::Test(test) => test.write(out),
        }
        if parens {
            out.push(')');
        }
    }
}

impl Test {
    fn truth(&self, facts: &TravelFacts) -> Truth {
        let lhs = self.field.value(facts);
        let rhs = match &self.rhs {
            Operand::None => Value::Flag(true),
            Operand::Field(f) => f.value(facts),
            Operand::Text(t) => Value::Text(t),
            Operand::Number(n) => Value::Number(*n),
            Operand::Flag(b) => Value::Flag(*b),
            Operand::Texts(items) => Value::List(items),
            Operand::Numbers(items) => Value::Numbers(items),
        };
        match self.op {
            Op::IsTrue | Op::Cmp(CmpOp::Eq) | Op::In => matches(lhs, rhs),
            Op::Cmp(CmpOp::Ne) | Op::NotIn => matches(lhs, rhs).negate(),
            Op::Cmp(op) => match (lhs, rhs) {
                (Value::Number(a), Value::Number(b)) => Truth::from_bool(match op {
                    CmpOp::Lt => a < b,
                    CmpOp::Le => a <= b,
                    CmpOp::Gt => a > b,
                    _ => a >= b,
                }),
                _ => Truth::Unknown,
            },
            Op::Contains => match (lhs, rhs) {
                (Value::Text(a), Value::Text(b)) => Truth::from_bool(contains_ignore_case(a, b)),
                (Value::List(_), Value::Text(_)) => matches(lhs, rhs),
                _ => Truth::Unknown,
            },
            Op::StartsWith => match (lhs, rhs) {
                (Value::Text(a), Value::Text(b)) => Truth::from_bool(starts_with_ignore_case(a, b)),
                (Value::List(items), Value::Text(b)) => {
                    Truth::from_bool(items.iter().any(|a| starts_with_ignore_case(a, b)))
                }
                _ => Truth::Unknown,
            },
        }
    }

    fn write(&self, out: &mut String) {
        out.push_str(self.field.name());
        if self.op == Op::IsTrue {
            return;
        }
        out.push(' ');
        out.push_str(self.op.as_str());
        out.push(' ');
        match &self.rhs {
            Operand::None => {}
            Operand::Field(f) => out.push_str(f.name()),
            Operand::Text(t) => out.push_str(&quote(t)),
            Operand::Number(n) => {
                let _ = write!(out, "{n}");
            }
            Operand::Flag(b) => {
                let _ = write!(out, "{b}");
            }
            Operand::Texts(items) => {
                let items: Vec<String> = items.iter().map(|t| quote(t)).collect();
                let _ = write!(out, "[{}]", items.join(", "));
            }
            Operand::Numbers(items) => {
                let items: Vec<String> = items.iter().map(i64::to_string).collect();
                let _ = write!(out, "[{}]", items.join(", "));
            }
        }
    }
}

/// Equality where either side may be a list: a list matches when some entry does, so `via == "IST"` and
/// `via in ["IST", "DXB"]` read as "some via airport is ...".
fn matches(lhs: Value<'_>, rhs: Value<'_>) -> Truth {
    match (lhs, rhs) {
        (Value::Missing, _) | (_, Value::Missing) => Truth::Unknown,
        (Value::Text(a), Value::Text(b)) => Truth::from_bool(a.eq_ignore_ascii_case(b)),
        (Value::Text(a), Value::List(items)) | (Value::List(items), Value::Text(a)) => {
            Truth::from_bool(items.iter().any(|b| a.eq_ignore_ascii_case(b)))
        }
        (Value::List(xs), Value::List(ys)) => Truth::from_bool(
            xs.iter()
                .any(|x| ys.iter().any(|y| x.eq_ignore_ascii_case(y))),
        ),
        (Value::Number(a), Value::Number(b)) => Truth::from_bool(a == b),
        (Value::Number(a), Value::Numbers(items)) => Truth::from_bool(items.contains(&a)),
        (Value::Flag(a), Value::Flag(b)) => Truth::from_bool(a == b),
        _ => Truth::Unknown,
    }
}

fn starts_with_ignore_case(text: &str, prefix: &str) -> bool {
    text.as_bytes()
        .get(..prefix.len())
        .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
}

fn contains_ignore_case(text: &str, part: &str) -> bool {
    part.is_empty()
        || text
            .as_bytes()
            .windows(part.len())
            .any(|w| w.eq_ignore_ascii_case(part.as_bytes()))
}

/// A fact as an explanation shows it; long lists are cut so one explanation stays readable.
fn show(value: Value<'_>) -> String {
    const SHOWN: usize = 12;
    match value {
        Value::Missing => "missing".to_owned(),
        Value::Text(t) => t.to_owned(),
        Value::List([]) => "none".to_owned(),
        Value::List(items) => {
            let mut text = items
                .iter()
                .take(SHOWN)
                .map(String::as_str)
                .collect::<Vec<_>>()
                .join(", ");
            if items.len() > SHOWN {
                let _ = write!(text, " and {} more", items.len() - SHOWN);
            }
            text
        }
        Value::Numbers(items) => items
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(", "),
        Value::Number(n) => n.to_string(),
        Value::Flag(b) => b.to_string(),
    }
}
