//! The PAXLST message structure (segment order, groups, repeats, mandatory segments) and a check of a
//! message against it, so strict mode refuses what the directory does not allow (a repeated message-level
//! RFF, a segment out of place) and tolerant mode says where.

use crate::FormatError;
use crate::edifact::{Faults, Segment};

/// One entry of a message structure: a segment or a segment group (whose first entry is its trigger).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Node {
    Segment {
        tag: &'static str,
        max: u32,
        required: bool,
    },
    Group {
        name: &'static str,
        max: u32,
        required: bool,
        children: &'static [Node],
    },
}

const fn seg(tag: &'static str, max: u32, required: bool) -> Node {
    Node::Segment { tag, max, required }
}

const fn group(name: &'static str, max: u32, required: bool, children: &'static [Node]) -> Node {
    Node::Group {
        name,
        max,
        required,
        children,
    }
}

/// The body of a PAXLST (between UNH and UNT) in directory D.21A. Earlier directories (D.02B to D.05B)
/// define a subset of it, so it serves for them too.
pub const PAXLST: &[Node] = &[
    seg("BGM", 1, true),
    seg("RFF", 1, false),
    seg("DTM", 9, false),
    seg("LOC", 9, false),
    group(
        "SG1",
        5,
        false,
        &[
            seg("NAD", 1, true),
            seg("CTA", 1, false),
            seg("COM", 9, false),
        ],
    ),
    group(
        "SG2",
        10,
        true,
        &[
            seg("TDT", 1, true),
            seg("DTM", 1, false),
            group(
                "SG3",
                99,
                false,
                &[seg("LOC", 1, true), seg("DTM", 5, false)],
            ),
        ],
    ),
    group(
        "SG4",
        99999,
        false,
        &[
            seg("NAD", 1, true),
            seg("ATT", 9, false),
            seg("DTM", 9, false),
            seg("MEA", 9, false),
            seg("GEI", 5, false),
            seg("FTX", 99, false),
            seg("LOC", 25, false),
            seg("COM", 1, false),
            seg("EMP", 9, false),
            seg("NAT", 9, false),
            seg("RFF", 99999, false),
            group(
                "SG5",
                5,
                false,
                &[
                    seg("DOC", 1, true),
                    seg("DTM", 5, false),
                    seg("GEI", 9, false),
                    seg("RFF", 9, false),
                    seg("LOC", 2, false),
                    seg("CPI", 1, false),
                    seg("QTY", 9, false),
                ],
            ),
            group(
                "SG6",
                99,
                false,
                &[
                    seg("GID", 1, true),
                    seg("FTX", 9, false),
                    seg("QTY", 9, false),
                ],
            ),
            group(
                "SG7",
                1,
                false,
                &[seg("TDT", 1, true), seg("FTX", 1, false)],
            ),
        ],
    ),
    seg("CNT", 1, false),
    seg("AUT", 1, false),
];

impl Node {
    fn max(&self) -> u32 {
        match self {
            Node::Segment { max, .. } | Node::Group { max, .. } => *max,
        }
    }

    fn required(&self) -> bool {
        match self {
            Node::Segment { required, .. } | Node::Group { required, .. } => *required,
        }
    }

    fn name(&self) -> &'static str {
        match self {
            Node::Segment { tag, .. } => tag,
            Node::Group { name, .. } => name,
        }
    }

    /// Whether a segment with `tag` starts this entry.
    fn starts_with(&self, tag: &str) -> bool {
        match self {
            Node::Segment { tag: t, .. } => *t == tag,
            Node::Group { children, .. } => children.first().is_some_and(|c| c.starts_with(tag)),
        }
    }
}

/// Where the check is in one level of the structure.
#[derive(Debug, Clone, Copy)]
struct Frame {
    nodes: &'static [Node],
    /// The entry last matched.
    at: usize,
    /// How many times it has repeated.
    count: u32,
    /// The group this level is inside, for messages.
    group: &'static str,
}

/// Checks the segments of one message body against `structure`; each violation is a fault at the segment
/// where it shows.
pub fn check(
    structure: &'static [Node],
    body: &[Segment<'_>],
    faults: &mut Faults,
) -> Result<(), FormatError> {
    let mut stack = vec![Frame {
        nodes: structure,
        at: 0,
        count: 0,
        group: "the message",
    }];
    for segment in body {
        let tag = segment.tag();
        // The innermost level, then outwards, that has an entry for this segment at or after its place.
        // Inside a group the trigger (its first entry) cannot come again: that starts the next repetition,
        // one level out.
        let found = stack.iter().enumerate().rev().find_map(|(level, frame)| {
            let from = if level > 0 { frame.at.max(1) } else { frame.at };
            (from..frame.nodes.len())
                .find(|&i| frame.nodes[i].starts_with(tag))
                .map(|i| (level, i))
        });
        let Some((level, index)) = found else {
            let inside = stack.last().map_or("the message", |f| f.group);
            faults.fault(
                segment.position(),
                Some(tag),
                format!("segment {tag} is not allowed here (in {inside}) by the PAXLST structure"),
            )?;
            continue;
        };
        // Leaving inner levels ends those group repetitions.
        while stack.len() > level + 1 {
            if let Some(frame) = stack.pop() {
                missing(&frame, frame.nodes.len(), segment, faults)?;
            }
        }
        let Some(frame) = stack.last_mut() else {
            continue;
        };
        let node = frame.nodes[index];
        if index == frame.at && frame.count > 0 {
            frame.count += 1;
        } else {
            let skipped = *frame;
            missing(&skipped, index, segment, faults)?;
            frame.at = index;
            frame.count = 1;
        }
        if frame.count > node.max() {
            let inside = frame.group;
            faults.fault(
                segment.position(),
                Some(tag),
                format!(
                    "{} repeats more than {} times in {inside} (PAXLST structure)",
                    node.name(),
                    node.max()
                ),
            )?;
        }
        if let Node::Group { name, children, .. } = node {
            stack.push(Frame {
                nodes: children,
                at: 0,
                count: 1,
                group: name,
            });
        }
    }
    // The end of the message ends every level.
    if let Some(last) = body.last() {
        while let Some(frame) = stack.pop() {
            missing(&frame, frame.nodes.len(), last, faults)?;
        }
    }
    Ok(())
}

/// Faults for the mandatory entries of `frame` passed over before `until`.
fn missing(
    frame: &Frame,
    until: usize,
    segment: &Segment<'_>,
    faults: &mut Faults,
) -> Result<(), FormatError> {
    let from = if frame.count == 0 {
        frame.at
    } else {
        frame.at + 1
    };
    for node in frame.nodes.iter().take(until).skip(from) {
        if node.required() {
            faults.fault(
                segment.position(),
                Some(node.name()),
                format!(
                    "mandatory {} missing in {} before {} (PAXLST structure)",
                    node.name(),
                    frame.group,
                    segment.tag()
                ),
            )?;
        }
    }
    Ok(())
}
