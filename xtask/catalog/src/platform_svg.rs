//! The picture of the platform on the catalog's index: modules (and the AWS services whose
//! events the platform consumes) on the left, their events in the middle, the declared
//! consumers on the right, with an edge from each module to each event it publishes and from
//! each event to each consumer that handles it.
//!
//! Drawn here, at build time, as SVG text: the picture is part of the page, so it shows with
//! no script, prints, and is in the DOM for the browser test to read. No layout engine is
//! needed for three columns: one event per row; a module is centred on its events (they are
//! contiguous once sorted); each consumer sits at the mean height of the events it handles,
//! pushed down only to keep clear of the one above. Every coordinate is an integer, so the
//! same events always give the same bytes, and the picture grows by one row per event.
//!
//! Each node has a `<title>` (a tooltip, and its accessible name); events link to their
//! pages, modules to their section of the index, consumers to their repository when it is a
//! web address. Text is monospaced so a box can be sized from its label's length alone.

use std::collections::BTreeMap;
use std::fmt::Write as _;

/// An event as the picture needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event<'a> {
    /// `source.Name`: the event page's file stem.
    pub id: &'a str,
    /// The EventBridge source: the module, or the AWS service.
    pub source: &'a str,
    /// The EventBridge detail-type: the node's label.
    pub detail_type: &'a str,
    /// Whether a platform module publishes it (else an AWS service does).
    pub published: bool,
    /// The consumers that declare they handle it.
    pub consumers: Vec<Consumer<'a>>,
}

/// A declared consumer as the picture needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Consumer<'a> {
    /// Its name: the node's label.
    pub name: &'a str,
    /// The team that owns it.
    pub team: &'a str,
    /// Where its code lives.
    pub repository: &'a str,
}

/// Height of one event's row.
const ROW: i64 = 28;
/// Height of a node's box.
const BOX: i64 = 20;
/// Room above the first row, for the column headings.
const TOP: i64 = 40;
/// Margin around the picture.
const MARGIN: i64 = 8;
/// Horizontal room between columns, where the edges run.
const GAP: i64 = 96;
/// Padding between a box's border and its label.
const PAD: i64 = 8;
/// Font size of labels, in pixels; a monospaced character is at most 0.6em wide, so 7.5 px
/// (written as 15/2 to stay in integers) leaves room in any monospace font.
const FONT: i64 = 12;
const FONT_FAMILY: &str = "ui-monospace, Menlo, Consolas, 'DejaVu Sans Mono', monospace";

/// The column headings, left to right.
const HEADINGS: [&str; 3] = ["Modules and AWS sources", "Events", "Consumers"];

/// The SVG element (no XML prolog: it is inlined in HTML) for `events`, in any order.
pub fn render(events: &[Event<'_>]) -> String {
    let layout = Layout::new(events);
    let mut svg = String::new();
    let (width, height) = (layout.width, layout.height);
    let _ = writeln!(
        svg,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"platform\" id=\"platform\" \
         viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" \
         aria-labelledby=\"platform-title platform-desc\" font-family=\"{FONT_FAMILY}\" font-size=\"{FONT}\">"
    );
    let _ = writeln!(
        svg,
        "<title id=\"platform-title\">The platform: modules, the events they publish, and their consumers</title>"
    );
    let _ = writeln!(
        svg,
        "<desc id=\"platform-desc\">{} sources, {} events and {} declared consumers. An edge joins each \
         source to each event it publishes and each event to each consumer that handles it.</desc>",
        layout.sources.len(),
        layout.events.len(),
        layout.consumers.len()
    );
    for (index, heading) in HEADINGS.iter().enumerate() {
        let _ = writeln!(
            svg,
            "<text class=\"heading\" x=\"{}\" y=\"{}\" font-weight=\"bold\" fill=\"#5b6575\">{}</text>",
            layout.columns[index].0,
            TOP / 2,
            escape(heading)
        );
    }
    svg.push_str("<g class=\"edges\" fill=\"none\" stroke=\"#9aa5b5\" stroke-width=\"1.5\">\n");
    for edge in layout.edges() {
        let _ = writeln!(
            svg,
            "<path class=\"edge\" data-from=\"{}\" data-to=\"{}\" d=\"M{} {} C{} {} {} {} {} {}\"><title>{}</title></path>",
            escape(&edge.from),
            escape(&edge.to),
            edge.start.0,
            edge.start.1,
            (edge.start.0 + edge.end.0) / 2,
            edge.start.1,
            (edge.start.0 + edge.end.0) / 2,
            edge.end.1,
            edge.end.0,
            edge.end.1,
            escape(&edge.title)
        );
    }
    svg.push_str("</g>\n");
    for node in layout.nodes() {
        node.write(&mut svg);
    }
    svg.push_str("</svg>\n");
    svg
}

/// Where everything goes.
struct Layout<'a> {
    /// Events sorted by source and detail-type; the index is the row.
    events: Vec<&'a Event<'a>>,
    /// Each source with the rows of its events (contiguous) and whether it is a module.
    sources: Vec<(&'a str, std::ops::Range<usize>, bool)>,
    /// Each consumer with the rows of the events it handles and its box's top.
    consumers: Vec<(Consumer<'a>, Vec<usize>, i64)>,
    /// Each column's left edge and width.
    columns: [(i64, i64); 3],
    width: i64,
    height: i64,
}

/// One edge: the nodes it joins and its end points.
struct Edge {
    from: String,
    to: String,
    title: String,
    start: (i64, i64),
    end: (i64, i64),
}

/// One box with its label.
struct Node {
    /// `source`, `aws`, `event` or `consumer`: its class and colours.
    kind: &'static str,
    /// `kind:name`, for tests and styles.
    key: String,
    label: String,
    title: String,
    href: Option<String>,
    x: i64,
    top: i64,
    width: i64,
}

impl<'a> Layout<'a> {
    fn new(events: &'a [Event<'a>]) -> Self {
        let mut events: Vec<&Event<'_>> = events.iter().collect();
        events.sort_by(|a, b| (a.source, a.detail_type, a.id).cmp(&(b.source, b.detail_type, b.id)));
        let mut sources: Vec<(&str, std::ops::Range<usize>, bool)> = Vec::new();
        let mut handled: BTreeMap<&str, (Consumer<'_>, Vec<usize>)> = BTreeMap::new();
        for (row, event) in events.iter().enumerate() {
            match sources.last_mut() {
                Some((source, rows, published)) if *source == event.source => {
                    rows.end = row + 1;
                    *published |= event.published;
                }
                _ => sources.push((event.source, row..row + 1, event.published)),
            }
            for consumer in &event.consumers {
                handled.entry(consumer.name).or_insert_with(|| (*consumer, Vec::new())).1.push(row);
            }
        }
        // Each consumer at the mean centre of its events, in that order, never overlapping
        // the one above; ties by name (the map's order, kept by the stable sort).
        let mut consumers: Vec<(Consumer<'_>, Vec<usize>, i64)> = handled
            .into_values()
            .map(|(consumer, rows)| {
                let mean = rows.iter().map(|&row| centre(row)).sum::<i64>() / rows.len() as i64;
                (consumer, rows, mean - BOX / 2)
            })
            .collect();
        consumers.sort_by_key(|(.., top)| *top);
        let mut floor = TOP;
        for (.., top) in &mut consumers {
            *top = (*top).max(floor);
            floor = *top + ROW;
        }
        let column_width = |labels: Vec<usize>, heading: &str| {
            labels.into_iter().map(box_width).chain([text_width(heading.chars().count())]).max().unwrap_or(0)
        };
        let widths = [
            column_width(sources.iter().map(|(s, ..)| s.chars().count()).collect(), HEADINGS[0]),
            column_width(events.iter().map(|e| e.detail_type.chars().count()).collect(), HEADINGS[1]),
            column_width(consumers.iter().map(|(c, ..)| c.name.chars().count()).collect(), HEADINGS[2]),
        ];
        let left = [MARGIN, MARGIN + widths[0] + GAP, MARGIN + widths[0] + GAP + widths[1] + GAP];
        let columns = [(left[0], widths[0]), (left[1], widths[1]), (left[2], widths[2])];
        let rows_bottom = TOP + events.len() as i64 * ROW;
        let consumers_bottom = consumers.last().map_or(0, |(.., top)| top + ROW);
        Layout {
            width: left[2] + widths[2] + MARGIN,
            height: rows_bottom.max(consumers_bottom) + MARGIN,
            events,
            sources,
            consumers,
            columns,
        }
    }

    /// The vertical centre of a source's box: the middle of its events.
    fn source_centre(rows: &std::ops::Range<usize>) -> i64 {
        (centre(rows.start) + centre(rows.end - 1)) / 2
    }

    fn nodes(&self) -> Vec<Node> {
        let [sources, events, consumers] = self.columns;
        let mut nodes = Vec::new();
        for (source, rows, published) in &self.sources {
            let count = rows.len();
            let title = if *published {
                format!("{source}: the module that publishes {}", plural(count, "event"))
            } else {
                format!("{source}: an AWS service; the platform consumes {} of it", plural(count, "event"))
            };
            nodes.push(Node {
                kind: if *published { "source" } else { "aws" },
                key: format!("source:{source}"),
                label: source.to_string(),
                title,
                href: Some(format!("#source-{source}")),
                x: sources.0,
                top: Self::source_centre(rows) - BOX / 2,
                width: sources.1,
            });
        }
        for (row, event) in self.events.iter().enumerate() {
            let handled_by = match event.consumers.len() {
                0 => "no declared consumer".to_owned(),
                count => format!("handled by {}", plural(count, "consumer")),
            };
            nodes.push(Node {
                kind: "event",
                key: format!("event:{}", event.id),
                label: event.detail_type.to_owned(),
                title: format!("{} {}: {handled_by}", event.source, event.detail_type),
                href: Some(format!("events/{}.html", event.id)),
                x: events.0,
                top: centre(row) - BOX / 2,
                width: events.1,
            });
        }
        for (consumer, rows, top) in &self.consumers {
            let web =
                consumer.repository.starts_with("https://") || consumer.repository.starts_with("http://");
            nodes.push(Node {
                kind: "consumer",
                key: format!("consumer:{}", consumer.name),
                label: consumer.name.to_owned(),
                title: format!(
                    "{} (team {}): handles {}; code at {}",
                    consumer.name,
                    consumer.team,
                    plural(rows.len(), "event"),
                    consumer.repository
                ),
                href: web.then(|| consumer.repository.to_owned()),
                x: consumers.0,
                top: *top,
                width: consumers.1,
            });
        }
        nodes
    }

    fn edges(&self) -> Vec<Edge> {
        let [sources, events, consumers] = self.columns;
        let mut edges = Vec::new();
        for (source, rows, published) in &self.sources {
            let start = (sources.0 + sources.1, Self::source_centre(rows));
            for row in rows.clone() {
                let event = self.events[row];
                let verb = if *published { "publishes" } else { "sends" };
                edges.push(Edge {
                    from: format!("source:{source}"),
                    to: format!("event:{}", event.id),
                    title: format!("{source} {verb} {}", event.detail_type),
                    start,
                    end: (events.0, centre(row)),
                });
            }
        }
        for (consumer, rows, top) in &self.consumers {
            for &row in rows {
                let event = self.events[row];
                edges.push(Edge {
                    from: format!("event:{}", event.id),
                    to: format!("consumer:{}", consumer.name),
                    title: format!("{} handles {} {}", consumer.name, event.source, event.detail_type),
                    start: (events.0 + events.1, centre(row)),
                    end: (consumers.0, top + BOX / 2),
                });
            }
        }
        edges
    }
}

impl Node {
    fn write(&self, svg: &mut String) {
        let (fill, stroke) = match self.kind {
            "source" => ("#e3f3e9", "#1f6f43"),
            "aws" => ("#fdf1dc", "#8a5a00"),
            "consumer" => ("#eceefb", "#4a4f9c"),
            _ => ("#ffffff", "#1a5fb4"),
        };
        if let Some(href) = &self.href {
            let _ = write!(svg, "<a href=\"{}\">", escape(href));
        }
        let _ = write!(
            svg,
            "<g class=\"node {}\" data-node=\"{}\"><title>{}</title>\
             <rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{BOX}\" rx=\"4\" fill=\"{fill}\" stroke=\"{stroke}\"/>\
             <text x=\"{}\" y=\"{}\" dominant-baseline=\"central\" fill=\"#1d2430\">{}</text></g>",
            self.kind,
            escape(&self.key),
            escape(&self.title),
            self.x,
            self.top,
            self.width,
            self.x + PAD,
            self.top + BOX / 2,
            escape(&self.label)
        );
        if self.href.is_some() {
            svg.push_str("</a>");
        }
        svg.push('\n');
    }
}

/// The vertical centre of the `row`th event.
fn centre(row: usize) -> i64 {
    TOP + row as i64 * ROW + ROW / 2
}

/// The width of `chars` monospaced characters, rounded up.
fn text_width(chars: usize) -> i64 {
    (chars as i64 * FONT * 5 + 7) / 8
}

/// The width of a box holding a label of `chars` characters.
fn box_width(chars: usize) -> i64 {
    text_width(chars) + 2 * PAD
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 { format!("1 {noun}") } else { format!("{count} {noun}s") }
}

/// `text` safe in XML character data and in double-quoted attributes.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const BILLING: Consumer<'static> =
        Consumer { name: "billing", team: "finance", repository: "https://example.com/billing" };
    const AUDIT: Consumer<'static> =
        Consumer { name: "audit", team: "ops", repository: "git@example.com:audit" };

    fn events() -> Vec<Event<'static>> {
        vec![
            Event {
                id: "trading.TradeCreated",
                source: "trading",
                detail_type: "TradeCreated",
                published: true,
                consumers: vec![BILLING, AUDIT],
            },
            Event {
                id: "aws.events.ScheduledEvent",
                source: "aws.events",
                detail_type: "Scheduled Event",
                published: false,
                consumers: vec![AUDIT],
            },
            Event {
                id: "trading.TradeCancelled",
                source: "trading",
                detail_type: "TradeCancelled",
                published: true,
                consumers: vec![],
            },
        ]
    }

    fn count(svg: &str, needle: &str) -> usize {
        svg.matches(needle).count()
    }

    #[test]
    fn every_source_event_consumer_and_edge_is_drawn_with_a_title() {
        let svg = render(&events());
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""), "{svg}");
        for key in [
            "source:trading",
            "source:aws.events",
            "event:trading.TradeCreated",
            "event:trading.TradeCancelled",
            "event:aws.events.ScheduledEvent",
            "consumer:billing",
            "consumer:audit",
        ] {
            assert_eq!(count(&svg, &format!("data-node=\"{key}\"")), 1, "{key} drawn once:\n{svg}");
        }
        for (from, to) in [
            ("source:trading", "event:trading.TradeCreated"),
            ("source:trading", "event:trading.TradeCancelled"),
            ("source:aws.events", "event:aws.events.ScheduledEvent"),
            ("event:trading.TradeCreated", "consumer:billing"),
            ("event:trading.TradeCreated", "consumer:audit"),
            ("event:aws.events.ScheduledEvent", "consumer:audit"),
        ] {
            assert_eq!(count(&svg, &format!("data-from=\"{from}\" data-to=\"{to}\"")), 1, "{from} -> {to}");
        }
        assert_eq!(count(&svg, "class=\"edge\""), 6, "no other edge");
        assert_eq!(count(&svg, "<title>"), 7 + 6, "a title per node and per edge");
        assert!(svg.contains("<a href=\"events/trading.TradeCreated.html\">"), "events link to their pages");
        assert!(svg.contains("<a href=\"#source-trading\">"), "modules link to their section");
        assert!(svg.contains("<a href=\"https://example.com/billing\">"), "a web repository is a link");
        assert!(!svg.contains("href=\"git@"), "a repository that is no web address is not a link");
        assert!(svg.contains("audit (team ops): handles 2 events; code at git@example.com:audit"));
        assert!(svg.contains("trading TradeCancelled: no declared consumer"));
        assert!(svg.contains("class=\"node aws\" data-node=\"source:aws.events\""), "AWS is told apart");
    }

    #[test]
    fn the_same_events_in_any_order_give_the_same_bytes() {
        let mut reversed = events();
        reversed.reverse();
        for event in &mut reversed {
            event.consumers.reverse();
        }
        assert_eq!(render(&events()), render(&reversed));
        let svg = render(&events());
        let numbers = svg.split(|c: char| !(c.is_ascii_digit() || c == '.')).filter(|t| !t.is_empty());
        for number in numbers {
            assert!(
                number.starts_with('.') || number.ends_with('.') || !number.contains('.') || number == "1.5",
                "`{number}`: coordinates are integers"
            );
        }
    }

    #[test]
    fn labels_and_titles_are_escaped() {
        let hostile = Consumer { name: "a<b>&\"c'", team: "t&t", repository: "https://x/?a=1&b=\"2\"" };
        let events = [Event {
            id: "s.E",
            source: "s<script>",
            detail_type: "E & <F>",
            published: true,
            consumers: vec![hostile],
        }];
        let svg = render(&events);
        assert!(!svg.contains("<script>") && !svg.contains("<F>") && !svg.contains("a<b>"), "{svg}");
        assert!(svg.contains(">E &amp; &lt;F&gt;</text>"), "{svg}");
        assert!(svg.contains("data-node=\"consumer:a&lt;b&gt;&amp;&quot;c&#39;\""), "{svg}");
        assert!(svg.contains("href=\"https://x/?a=1&amp;b=&quot;2&quot;\""), "{svg}");
    }

    #[test]
    fn boxes_fit_their_labels_and_the_picture_grows_a_row_per_event() {
        let long = "An Event With A Rather Long Detail Type Indeed";
        let events: Vec<Event<'_>> = (0..100)
            .map(|_| Event { id: "s.E", source: "s", detail_type: long, published: true, consumers: vec![] })
            .collect();
        let svg = render(&events);
        let layout = Layout::new(&events);
        assert!(layout.columns[1].1 >= long.chars().count() as i64 * 7 + 2 * PAD, "the event column fits");
        assert_eq!(layout.height, TOP + 100 * ROW + MARGIN);
        assert!(svg.contains(&format!("height=\"{}\"", layout.height)));
    }

    #[test]
    fn consumers_sit_beside_their_events_without_overlapping() {
        let events: Vec<Event<'_>> = ["A", "B", "C", "D"]
            .iter()
            .map(|name| Event {
                id: name,
                source: "s",
                detail_type: name,
                published: true,
                consumers: vec![BILLING, AUDIT],
            })
            .collect();
        let layout = Layout::new(&events);
        let tops: Vec<(&str, i64)> = layout.consumers.iter().map(|(c, .., top)| (c.name, *top)).collect();
        // Both at the middle of the four rows: audit (first by name) there, billing a row below.
        let middle = (centre(0) + centre(3)) / 2 - BOX / 2;
        assert_eq!(tops, [("audit", middle), ("billing", middle + ROW)]);
    }
}
