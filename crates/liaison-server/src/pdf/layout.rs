//! Lays the blocks of a document out on A4 pages: wrapping, page breaks, repeated table headers, footers.
//!
//! Lengths are integers in thousandths of a point so that layout is exact and the same on every machine.

use super::font::Font;
use super::text::{to_win_ansi, wrap};
use super::{Block, Document};

pub(crate) const PAGE_WIDTH: i64 = 595_276;
pub(crate) const PAGE_HEIGHT: i64 = 841_890;
const MARGIN_SIDE: i64 = 56_693;
const MARGIN_TOP: i64 = 56_693;
const MARGIN_BOTTOM: i64 = 62_362;
const LEFT: i64 = MARGIN_SIDE;
const CONTENT_WIDTH: i64 = PAGE_WIDTH - 2 * MARGIN_SIDE;
const TOP: i64 = PAGE_HEIGHT - MARGIN_TOP;
const BOTTOM: i64 = MARGIN_BOTTOM;
const BODY_HEIGHT: i64 = TOP - BOTTOM;
/// Top of the first footer line, inside the bottom margin.
const FOOTER_TOP: i64 = 42_000;
const FOOTER_MAX_LINES: usize = 2;

/// Share of the width that the labels of a `Fields` block take, in percent.
const LABEL_PERCENT: i64 = 35;
const LABEL_GUTTER: i64 = 8_000;
const FIELD_PAD_Y: i64 = 1_500;
const CELL_PAD_X: i64 = 3_000;
const CELL_PAD_Y: i64 = 2_500;
const RULE_WIDTH: i64 = 500;
const RULE_GAP_BEFORE: i64 = 6_000;
const RULE_GAP_AFTER: i64 = 8_000;
const GRID_LINE_WIDTH: i64 = 500;
/// Grey levels in thousandths (0 black, 1000 white).
const HEADER_FILL: u16 = 900;
const GRID_GREY: u16 = 550;
const RULE_GREY: u16 = 350;
const FOOTER_GREY: u16 = 350;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Style {
    pub(crate) font: Font,
    /// Font size in whole points.
    pub(crate) size: i64,
    /// Line advance in thousandths of a point.
    pub(crate) leading: i64,
}

impl Style {
    /// Distance from the top of a line box to the baseline that centres the glyphs' ascender-descender
    /// box (718 and -207 per mille for Helvetica) in it.
    fn baseline_offset(self) -> i64 {
        self.leading / 2 + self.size * 255
    }
}

pub(crate) const TITLE: Style = Style {
    font: Font::Bold,
    size: 16,
    leading: 20_000,
};
pub(crate) const SUBTITLE: Style = Style {
    font: Font::Regular,
    size: 11,
    leading: 14_000,
};
pub(crate) const HEADING: Style = Style {
    font: Font::Bold,
    size: 12,
    leading: 15_000,
};
pub(crate) const BODY: Style = Style {
    font: Font::Regular,
    size: 10,
    leading: 12_500,
};
pub(crate) const LABEL: Style = Style {
    font: Font::Bold,
    size: 10,
    leading: 12_500,
};
pub(crate) const CELL: Style = Style {
    font: Font::Regular,
    size: 9,
    leading: 11_000,
};
pub(crate) const HEADER_CELL: Style = Style {
    font: Font::Bold,
    size: 9,
    leading: 11_000,
};
pub(crate) const FOOTER: Style = Style {
    font: Font::Regular,
    size: 8,
    leading: 10_000,
};

/// One drawing operation, in page coordinates (origin bottom left).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Op {
    Text {
        x: i64,
        y: i64,
        style: Style,
        grey: u16,
        text: Vec<u8>,
    },
    Line {
        x1: i64,
        y1: i64,
        x2: i64,
        y2: i64,
        width: i64,
        grey: u16,
    },
    FillRect {
        x: i64,
        y: i64,
        width: i64,
        height: i64,
        grey: u16,
    },
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Page {
    pub(crate) ops: Vec<Op>,
}

/// Lays out the whole document; there is always at least one page.
pub(crate) fn lay_out(document: &Document) -> Vec<Page> {
    let prepared = prepare(document);
    let mut flow = Flow::new();
    for (index, block) in prepared.iter().enumerate() {
        let following = prepared.get(index + 1..).unwrap_or_default();
        match block {
            Prepared::Text {
                lines,
                style,
                gap_before,
                gap_after,
                keep_with_next,
            } => {
                flow.gap(*gap_before);
                let keep = keep_with_next.then(|| start_height(following, *gap_after));
                text_lines(&mut flow, lines, *style, keep);
                flow.gap(*gap_after);
            }
            Prepared::Grid(grid) => {
                flow.gap(grid.gap_before);
                grid_rows(&mut flow, grid);
                flow.gap(grid.gap_after);
            }
            Prepared::Rule => rule(&mut flow),
        }
    }
    let mut pages = flow.finish();
    if let Some(footer) = &document.footer {
        add_footers(&mut pages, footer);
    }
    pages
}

/// A block wrapped into lines, ready to be placed.
enum Prepared {
    Text {
        lines: Vec<Vec<u8>>,
        style: Style,
        gap_before: i64,
        gap_after: i64,
        keep_with_next: bool,
    },
    Grid(Grid),
    Rule,
}

struct Grid {
    columns: Vec<Column>,
    header: Option<Row>,
    rows: Vec<Row>,
    pad_y: i64,
    borders: bool,
    gap_before: i64,
    gap_after: i64,
}

#[derive(Clone, Copy)]
struct Column {
    x: i64,
    width: i64,
    /// Where text starts, and how wide it may be, inside the cell.
    text_x: i64,
    text_width: i64,
}

struct Row {
    /// Lines per column; a row has as many cells as its grid has columns.
    cells: Vec<Vec<Vec<u8>>>,
    styles: Vec<Style>,
    leading: i64,
    fill: Option<u16>,
}

impl Row {
    fn line_count(&self) -> i64 {
        let most = self.cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
        i64::try_from(most).unwrap_or(i64::MAX)
    }
}

impl Grid {
    fn row_height(&self, row: &Row) -> i64 {
        row.line_count()
            .saturating_mul(row.leading)
            .saturating_add(2 * self.pad_y)
    }

    /// Height of a header that is drawn again on every page the grid continues on, or 0 when there is
    /// none or it is too tall to repeat and still leave room for rows.
    fn repeated_header_height(&self) -> i64 {
        match &self.header {
            Some(header) if self.row_height(header) <= BODY_HEIGHT / 3 => self.row_height(header),
            _ => 0,
        }
    }

    /// The height the grid needs where it starts: its header with the first row, or with one line of the
    /// first row when that row could not fit a page anyway.
    fn start_height(&self) -> i64 {
        let header = self.header.as_ref().map_or(0, |h| self.row_height(h));
        let first = self.rows.first().map_or(0, |row| {
            let whole = self.row_height(row);
            if header.saturating_add(whole) <= BODY_HEIGHT {
                whole
            } else {
                row.leading + 2 * self.pad_y
            }
        });
        header.saturating_add(first)
    }
}

fn encode(text: &str) -> Vec<u8> {
    to_win_ansi(text).0
}

fn prepare(document: &Document) -> Vec<Prepared> {
    let mut prepared = Vec::with_capacity(document.blocks.len() + 2);
    if !document.title.is_empty() {
        let lines = wrap(
            &encode(&document.title),
            TITLE.font,
            TITLE.size,
            CONTENT_WIDTH,
        );
        let gap_after = if document.subtitle.is_some() {
            4_000
        } else {
            16_000
        };
        prepared.push(Prepared::Text {
            lines,
            style: TITLE,
            gap_before: 0,
            gap_after,
            keep_with_next: true,
        });
    }
    if let Some(subtitle) = &document.subtitle {
        let lines = wrap(
            &encode(subtitle),
            SUBTITLE.font,
            SUBTITLE.size,
            CONTENT_WIDTH,
        );
        prepared.push(Prepared::Text {
            lines,
            style: SUBTITLE,
            gap_before: 0,
            gap_after: 16_000,
            keep_with_next: true,
        });
    }
    for block in &document.blocks {
        let next = match block {
            Block::Heading(text) => Prepared::Text {
                lines: wrap(&encode(text), HEADING.font, HEADING.size, CONTENT_WIDTH),
                style: HEADING,
                gap_before: 12_000,
                gap_after: 4_000,
                keep_with_next: true,
            },
            Block::Paragraph(text) => Prepared::Text {
                lines: wrap(&encode(text), BODY.font, BODY.size, CONTENT_WIDTH),
                style: BODY,
                gap_before: 0,
                gap_after: 6_000,
                keep_with_next: false,
            },
            Block::Fields(fields) => {
                if fields.is_empty() {
                    continue;
                }
                Prepared::Grid(fields_grid(fields))
            }
            Block::Table { columns, rows } => match table_grid(columns, rows) {
                Some(grid) => Prepared::Grid(grid),
                None => continue,
            },
            Block::Rule => Prepared::Rule,
        };
        prepared.push(next);
    }
    prepared
}

fn fields_grid(fields: &[(String, String)]) -> Grid {
    let label_width = CONTENT_WIDTH * LABEL_PERCENT / 100;
    let label = Column {
        x: LEFT,
        width: label_width,
        text_x: LEFT,
        text_width: label_width - LABEL_GUTTER,
    };
    let value_x = LEFT + label_width;
    let value_width = CONTENT_WIDTH - label_width;
    let value = Column {
        x: value_x,
        width: value_width,
        text_x: value_x,
        text_width: value_width,
    };
    let rows = fields
        .iter()
        .map(|(name, text)| Row {
            cells: vec![
                wrap(&encode(name), LABEL.font, LABEL.size, label.text_width),
                wrap(&encode(text), BODY.font, BODY.size, value.text_width),
            ],
            styles: vec![LABEL, BODY],
            leading: BODY.leading,
            fill: None,
        })
        .collect();
    Grid {
        columns: vec![label, value],
        header: None,
        rows,
        pad_y: FIELD_PAD_Y,
        borders: false,
        gap_before: 0,
        gap_after: 6_000,
    }
}

/// A table grid; rows longer than the header get extra columns, so that no cell is dropped. `None` when
/// there is nothing to draw.
fn table_grid(columns: &[(String, u32)], rows: &[Vec<String>]) -> Option<Grid> {
    let count = rows
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0)
        .max(columns.len());
    if count == 0 {
        return None;
    }
    let geometry = column_geometry(columns, count);
    let make_row = |texts: &mut dyn Iterator<Item = &str>, style: Style, fill: Option<u16>| {
        let mut cells: Vec<Vec<Vec<u8>>> = texts
            .zip(&geometry)
            .map(|(text, column)| wrap(&encode(text), style.font, style.size, column.text_width))
            .collect();
        cells.resize_with(count, Vec::new);
        Row {
            cells,
            styles: vec![style; count],
            leading: style.leading,
            fill,
        }
    };
    let header = (!columns.is_empty()).then(|| {
        make_row(
            &mut columns.iter().map(|(name, _)| name.as_str()),
            HEADER_CELL,
            Some(HEADER_FILL),
        )
    });
    let body = rows
        .iter()
        .map(|row| make_row(&mut row.iter().map(String::as_str), CELL, None))
        .collect();
    Some(Grid {
        columns: geometry,
        header,
        rows: body,
        pad_y: CELL_PAD_Y,
        borders: true,
        gap_before: 4_000,
        gap_after: 10_000,
    })
}

/// Splits the content width by the columns' weights. A column with weight 0 (or one only rows have)
/// still gets a quarter of an equal share of the weight, so its text stays on the page.
fn column_geometry(columns: &[(String, u32)], count: usize) -> Vec<Column> {
    let given: Vec<u128> = (0..count)
        .map(|index| {
            columns
                .get(index)
                .map_or(0, |(_, weight)| u128::from(*weight))
        })
        .collect();
    let total: u128 = given.iter().sum();
    let count_u128 = u128::try_from(count).unwrap_or(u128::MAX);
    let floor = (total / count_u128.saturating_mul(4)).max(1);
    let weights: Vec<u128> = given.iter().map(|&w| w.max(floor)).collect();
    let total: u128 = weights.iter().sum::<u128>().max(1);
    let width = u128::try_from(CONTENT_WIDTH).unwrap_or(0);
    let mut edges = Vec::with_capacity(count + 1);
    let mut running = 0u128;
    edges.push(LEFT);
    for weight in &weights {
        running += weight;
        let offset = i64::try_from(width * running / total).unwrap_or(CONTENT_WIDTH);
        edges.push(LEFT + offset);
    }
    edges
        .windows(2)
        .map(|pair| {
            let (x, right) = (pair[0], pair[1]);
            let width = right - x;
            Column {
                x,
                width,
                text_x: x + CELL_PAD_X,
                text_width: (width - 2 * CELL_PAD_X).max(1),
            }
        })
        .collect()
}

/// The height a run of blocks needs at its start so that a heading before it is not left alone: a
/// heading (or title) counts whole with what follows it, and so does a rule, a paragraph its first line, a
/// grid its header and first row, each with the space before it (`gap` is what the block before the run leaves). Never more
/// than a page.
fn start_height(blocks: &[Prepared], mut gap: i64) -> i64 {
    let mut total: i64 = 0;
    for block in blocks {
        if total >= BODY_HEIGHT {
            break;
        }
        match block {
            Prepared::Rule => {
                total = total
                    .saturating_add(gap.max(RULE_GAP_BEFORE))
                    .saturating_add(RULE_WIDTH);
                gap = RULE_GAP_AFTER;
            }
            Prepared::Text {
                lines,
                style,
                keep_with_next: true,
                gap_before,
                gap_after,
            } => {
                let own = i64::try_from(lines.len())
                    .unwrap_or(i64::MAX)
                    .saturating_mul(style.leading);
                total = total
                    .saturating_add(gap.max(*gap_before))
                    .saturating_add(own);
                gap = *gap_after;
            }
            Prepared::Text {
                lines,
                style,
                gap_before,
                ..
            } => {
                if !lines.is_empty() {
                    total = total
                        .saturating_add(gap.max(*gap_before))
                        .saturating_add(style.leading);
                }
                break;
            }
            Prepared::Grid(grid) => {
                total = total
                    .saturating_add(gap.max(grid.gap_before))
                    .saturating_add(grid.start_height());
                break;
            }
        }
    }
    total.min(BODY_HEIGHT)
}

/// The vertical position on the page being filled, and the pages already filled.
struct Flow {
    pages: Vec<Page>,
    ops: Vec<Op>,
    y: i64,
    /// Where content starts on this page: the top, or below a repeated table header.
    fresh_y: i64,
    /// Space wanted before whatever comes next; dropped at the top of a page.
    pending_gap: i64,
    /// Borders of the grids on this page, drawn when it is done.
    bands: Vec<Band>,
}

impl Flow {
    fn new() -> Self {
        Flow {
            pages: Vec::new(),
            ops: Vec::new(),
            y: TOP,
            fresh_y: TOP,
            pending_gap: 0,
            bands: Vec::new(),
        }
    }

    fn at_top(&self) -> bool {
        self.y == self.fresh_y
    }

    fn gap(&mut self, height: i64) {
        self.pending_gap = self.pending_gap.max(height);
    }

    fn available(&self) -> i64 {
        let gap = if self.at_top() { 0 } else { self.pending_gap };
        self.y - gap - BOTTOM
    }

    fn fits(&self, height: i64) -> bool {
        height <= self.available()
    }

    /// Starts a new page unless `height` fits here or this page is still empty, where breaking would
    /// not help.
    fn ensure(&mut self, height: i64) {
        if !self.fits(height) && !self.at_top() {
            self.new_page();
        }
    }

    /// Takes `height` from the page and returns the top of the space taken.
    fn take(&mut self, height: i64) -> i64 {
        if !self.at_top() {
            self.y -= self.pending_gap;
        }
        self.pending_gap = 0;
        let top = self.y;
        self.y -= height;
        top
    }

    fn end_page(&mut self) {
        for band in std::mem::take(&mut self.bands) {
            band.lines(&mut self.ops);
        }
    }

    fn new_page(&mut self) {
        self.end_page();
        self.pages.push(Page {
            ops: std::mem::take(&mut self.ops),
        });
        self.y = TOP;
        self.fresh_y = TOP;
        self.pending_gap = 0;
    }

    fn finish(mut self) -> Vec<Page> {
        self.end_page();
        if !self.ops.is_empty() || self.pages.is_empty() {
            self.pages.push(Page { ops: self.ops });
        }
        self.pages
    }
}

/// Places wrapped lines one by one. With `keep_with_next`, the first line asks for room for all the lines
/// and that much more, so that a heading moves to the next page with what follows it.
fn text_lines(flow: &mut Flow, lines: &[Vec<u8>], style: Style, keep_with_next: Option<i64>) {
    for (index, line) in lines.iter().enumerate() {
        let needed = match keep_with_next {
            Some(keep) if index == 0 => {
                let own = i64::try_from(lines.len())
                    .unwrap_or(i64::MAX)
                    .saturating_mul(style.leading);
                own.saturating_add(keep).min(BODY_HEIGHT)
            }
            _ => style.leading,
        };
        flow.ensure(needed);
        let top = flow.take(style.leading);
        if !line.is_empty() {
            flow.ops.push(Op::Text {
                x: LEFT,
                y: top - style.baseline_offset(),
                style,
                grey: 0,
                text: line.clone(),
            });
        }
    }
}

fn rule(flow: &mut Flow) {
    // A page break already separates what a rule would; one at the top of a page only adds a line.
    if flow.at_top() {
        return;
    }
    flow.gap(RULE_GAP_BEFORE);
    flow.ensure(RULE_WIDTH);
    if flow.at_top() {
        return;
    }
    let top = flow.take(RULE_WIDTH);
    let y = top - RULE_WIDTH / 2;
    flow.ops.push(Op::Line {
        x1: LEFT,
        y1: y,
        x2: LEFT + CONTENT_WIDTH,
        y2: y,
        width: RULE_WIDTH,
        grey: RULE_GREY,
    });
    flow.gap(RULE_GAP_AFTER);
}

fn grid_rows(flow: &mut Flow, grid: &Grid) {
    flow.ensure(grid.start_height().min(BODY_HEIGHT));
    if let Some(header) = &grid.header {
        grid_row(flow, grid, header, None);
    }
    let repeat = (grid.repeated_header_height() > 0)
        .then_some(grid.header.as_ref())
        .flatten();
    for row in &grid.rows {
        grid_row(flow, grid, row, repeat);
    }
}

/// Places one row: here if it fits, else on the next page below the repeated header, else (a row taller
/// than a page) split between lines over as many pages as it needs.
fn grid_row(flow: &mut Flow, grid: &Grid, row: &Row, repeat: Option<&Row>) {
    let lines = row.line_count();
    let repeat_height = repeat.map_or(0, |header| grid.row_height(header));
    let mut start = 0;
    while start < lines {
        let rest = lines - start;
        let height = rest
            .saturating_mul(row.leading)
            .saturating_add(2 * grid.pad_y);
        if flow.fits(height) {
            draw_row(flow, grid, row, start, lines);
            return;
        }
        if !flow.at_top() && height <= BODY_HEIGHT - repeat_height {
            next_page(flow, grid, repeat);
            continue;
        }
        let room = (flow.available() - 2 * grid.pad_y) / row.leading.max(1);
        let room = if room < 1 && flow.at_top() { 1 } else { room };
        if room < 1 {
            next_page(flow, grid, repeat);
            continue;
        }
        let end = start + room.min(rest);
        draw_row(flow, grid, row, start, end);
        start = end;
        if start < lines {
            next_page(flow, grid, repeat);
        }
    }
}

fn next_page(flow: &mut Flow, grid: &Grid, repeat: Option<&Row>) {
    flow.new_page();
    if let Some(header) = repeat {
        draw_row(flow, grid, header, 0, header.line_count());
        flow.fresh_y = flow.y;
    }
}

/// Draws lines `from..to` of a row as one band of cells.
fn draw_row(flow: &mut Flow, grid: &Grid, row: &Row, from: i64, to: i64) {
    let height = (to - from)
        .saturating_mul(row.leading)
        .saturating_add(2 * grid.pad_y);
    let top = flow.take(height);
    let bottom = top - height;
    if let (Some(grey), Some(first), Some(last)) =
        (row.fill, grid.columns.first(), grid.columns.last())
    {
        let width = last.x + last.width - first.x;
        flow.ops.push(Op::FillRect {
            x: first.x,
            y: bottom,
            width,
            height,
            grey,
        });
    }
    let first_line = usize::try_from(from).unwrap_or(usize::MAX);
    let line_count = usize::try_from(to - from).unwrap_or(0);
    for ((column, cell), style) in grid.columns.iter().zip(&row.cells).zip(&row.styles) {
        let baseline = top - grid.pad_y - style.baseline_offset();
        let mut y = baseline;
        for line in cell.iter().skip(first_line).take(line_count) {
            if !line.is_empty() {
                flow.ops.push(Op::Text {
                    x: column.text_x,
                    y,
                    style: *style,
                    grey: 0,
                    text: line.clone(),
                });
            }
            y -= row.leading;
        }
    }
    if grid.borders {
        let edges: Vec<i64> = grid
            .columns
            .iter()
            .map(|column| column.x)
            .chain(grid.columns.last().map(|column| column.x + column.width))
            .collect();
        match flow.bands.last_mut() {
            Some(band) if band.bottom == top && band.edges == edges => {
                band.rules.push(top);
                band.bottom = bottom;
            }
            _ => flow.bands.push(Band {
                edges,
                top,
                bottom,
                rules: Vec::new(),
            }),
        }
    }
}

/// Rows of a bordered grid drawn one below the other on a page: their borders are drawn together when
/// the page is done, as long lines rather than a rectangle per cell, which keeps files of long tables
/// small and lets their text run in one text object.
struct Band {
    /// Left edge of every column and the right edge of the last.
    edges: Vec<i64>,
    top: i64,
    bottom: i64,
    /// Where one row ends and the next begins.
    rules: Vec<i64>,
}

impl Band {
    fn lines(&self, ops: &mut Vec<Op>) {
        let (Some(&left), Some(&right)) = (self.edges.first(), self.edges.last()) else {
            return;
        };
        let line = |x1, y1, x2, y2| Op::Line {
            x1,
            y1,
            x2,
            y2,
            width: GRID_LINE_WIDTH,
            grey: GRID_GREY,
        };
        for &y in std::iter::once(&self.top)
            .chain(&self.rules)
            .chain([&self.bottom])
        {
            ops.push(line(left, y, right, y));
        }
        for &x in &self.edges {
            ops.push(line(x, self.top, x, self.bottom));
        }
    }
}

fn add_footers(pages: &mut [Page], footer: &str) {
    let total = pages.len().to_string();
    for (index, page) in pages.iter_mut().enumerate() {
        let text = footer
            .replace("{pages}", &total)
            .replace("{page}", &(index + 1).to_string());
        let lines = wrap(&encode(&text), FOOTER.font, FOOTER.size, CONTENT_WIDTH);
        let mut top = FOOTER_TOP;
        for line in lines.into_iter().take(FOOTER_MAX_LINES) {
            if !line.is_empty() {
                page.ops.push(Op::Text {
                    x: LEFT,
                    y: top - FOOTER.baseline_offset(),
                    style: FOOTER,
                    grey: FOOTER_GREY,
                    text: line,
                });
            }
            top -= FOOTER.leading;
        }
    }
}
