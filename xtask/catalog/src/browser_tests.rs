//! The event catalog in a real browser: headless Chromium (Debian's package; `cargo xtask
//! ci` installs it) loads the built site, runs its script, and shows every event, a search
//! that narrows the list, the picture of the platform (modules, events, consumers) drawn as
//! SVG, and event pages with their fields, sample and consumers. Screenshots of an event page
//! and of the index are kept under `target/catalog-screenshots/` and must not be blank.

// Links every contract crate, so the registry sees every event.
use contracts_all as _;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use xtask::browser;
use xtask::consumers::Consumers;

use crate::EventPage;

/// The site, built once for all tests into `target/catalog-browser-test`.
fn site() -> &'static (PathBuf, Vec<EventPage>) {
    static SITE: OnceLock<(PathBuf, Vec<EventPage>)> = OnceLock::new();
    SITE.get_or_init(|| {
        let root = xtask::workspace::root();
        let out = root.join("target/catalog-browser-test");
        crate::build(&root, &out).expect("the catalog builds");
        (out, crate::pages(&root).unwrap())
    })
}

/// `(data-event id, hidden)` of every event item in a dumped DOM.
fn listed(dom: &str) -> Vec<(String, bool)> {
    dom.split("<li ")
        .skip(1)
        .filter_map(|tag| {
            let tag = &tag[..tag.find('>')?];
            let id = tag.split("data-event=\"").nth(1)?.split('"').next()?.to_owned();
            Some((id, tag.contains(" hidden")))
        })
        .collect()
}

fn unescape(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// The text inside the element with `id` (no nested elements expected).
fn element_text(dom: &str, id: &str) -> String {
    let start = dom.find(&format!("id=\"{id}\"")).unwrap_or_else(|| panic!("no #{id} in the page"));
    let open_end = start + dom[start..].find('>').unwrap() + 1;
    let close = open_end + dom[open_end..].find("</").unwrap();
    unescape(&dom[open_end..close])
}

/// The HTML from the element whose opening tag holds `marker` to the first `end` after it.
fn element_from<'d>(dom: &'d str, marker: &str, end: &str) -> &'d str {
    let start = dom.find(marker).unwrap_or_else(|| panic!("no {marker} in the page"));
    let start = dom[..start].rfind('<').unwrap();
    let stop = start + dom[start..].find(end).unwrap_or_else(|| panic!("no {end} after {marker}"));
    &dom[start..stop + end.len()]
}

fn consumers() -> Consumers {
    Consumers::load(&xtask::workspace::root()).unwrap_or_else(|problems| panic!("{problems:?}"))
}

fn url(path: &Path, query: &str) -> String {
    format!("{}{query}", browser::file_url(path))
}

#[test]
fn the_index_lists_every_event() {
    let (out, pages) = site();
    let root = xtask::workspace::root();
    let (events, _) = xtask::events::all(&root).unwrap();
    let dom = browser::dump_dom(&url(&out.join("index.html"), "")).unwrap();
    let items = listed(&dom);
    assert_eq!(items.len(), events.len(), "one item per event the generator knows");
    for page in pages {
        assert!(items.contains(&(page.id.clone(), false)), "{} is listed and visible", page.id);
    }
    assert!(dom.contains(&format!("{0} of {0} events", events.len())), "the script counted them");
}

#[test]
fn search_narrows_the_list() {
    let (out, pages) = site();
    // The detail-type of one event: it matches that event and only the others that mention it.
    let wanted = &pages.iter().find(|p| p.published).unwrap().detail_type;
    let query = wanted.to_lowercase();
    let expected: Vec<&str> =
        pages.iter().filter(|p| p.search_text.contains(&query)).map(|p| p.id.as_str()).collect();
    assert!(!expected.is_empty() && expected.len() < pages.len(), "the query {query} must narrow the list");
    let dom = browser::dump_dom(&url(&out.join("index.html"), &format!("?q={query}"))).unwrap();
    let visible: Vec<String> =
        listed(&dom).into_iter().filter(|(_, hidden)| !hidden).map(|(id, _)| id).collect();
    assert_eq!(visible, expected, "the items left visible are the matching ones");
    assert!(dom.contains(&format!("{} of {} events", expected.len(), pages.len())), "the count follows");
    let nothing = browser::dump_dom(&url(&out.join("index.html"), "?q=no-event-is-called-this")).unwrap();
    assert!(listed(&nothing).iter().all(|(_, hidden)| *hidden));
    assert!(!nothing.contains("<p id=\"no-match\" hidden"), "the no-match note shows");
}

#[test]
fn an_event_page_shows_its_fields_sample_types_and_rule_pattern() {
    let (out, pages) = site();
    for page in
        pages.iter().filter(|p| p.published).take(2).chain(pages.iter().filter(|p| !p.published).take(1))
    {
        let dom = browser::dump_dom(&url(&out.join(format!("events/{}.html", page.id)), "")).unwrap();
        assert_eq!(element_text(&dom, "event-name"), page.detail_type);
        assert_eq!(element_text(&dom, "source"), page.source);
        for field in &page.fields {
            assert!(
                dom.contains(&format!("data-field=\"{}\"", field.name)),
                "{}: field {}",
                page.id,
                field.name
            );
        }
        let sample: serde_json::Value = serde_json::from_str(&element_text(&dom, "sample-json")).unwrap();
        assert_eq!(sample, serde_json::from_str::<serde_json::Value>(&page.sample).unwrap(), "{}", page.id);
        let pattern: serde_json::Value = serde_json::from_str(&element_text(&dom, "rule-pattern")).unwrap();
        assert_eq!(pattern["detail-type"][0], page.detail_type.as_str());
        assert_eq!(element_text(&dom, "rust-type"), page.rust_type);
        assert!(dom.contains("Version history"));
    }
}

#[test]
fn a_screenshot_of_an_event_page_is_not_blank() {
    let (out, pages) = site();
    let page = pages.iter().find(|p| p.published).unwrap();
    let shot = xtask::workspace::root().join(format!("target/catalog-screenshots/{}.png", page.id));
    browser::screenshot(&url(&out.join(format!("events/{}.html", page.id)), ""), &shot, (1280, 1600))
        .unwrap();
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    assert_eq!((info.width, info.height), (1280, 1600));
    let channels = info.color_type.samples();
    let total = (info.width * info.height) as usize;
    let inked =
        pixels[..info.buffer_size()].chunks(channels).filter(|p| p.iter().take(3).any(|&c| c < 235)).count();
    // Text, tables and the header bar: a few percent of the page at least; a blank or
    // error page is white.
    assert!(inked * 100 > total * 3, "only {inked} of {total} pixels are not white: {}", shot.display());
}

#[test]
fn the_index_draws_modules_events_and_consumers_as_svg() {
    let (out, pages) = site();
    let consumers = consumers();
    assert!(!consumers.list.is_empty(), "the workspace declares consumers");
    let dom = browser::dump_dom(&url(&out.join("index.html"), "")).unwrap();
    let svg = element_from(&dom, "id=\"platform\"", "</svg>");
    assert!(svg.starts_with("<svg"), "the picture is inline SVG in the page:\n{svg}");
    assert!(svg.contains("<title id=\"platform-title\">"), "it has an accessible name");
    for page in pages {
        let node = element_from(svg, &format!("data-node=\"event:{}\"", page.id), "</g>");
        assert!(node.contains(&format!(">{}</text>", page.detail_type)), "{} is labelled: {node}", page.id);
        let link = format!(
            "<a href=\"events/{}.html\"><g class=\"node event\" data-node=\"event:{}\"",
            page.id, page.id
        );
        assert!(svg.contains(&link), "{} links to its page", page.id);
        let source = format!("data-from=\"source:{}\" data-to=\"event:{}\"", page.source, page.id);
        assert!(svg.contains(&source), "{} is joined to its source", page.id);
    }
    for consumer in &consumers.list {
        let node = element_from(svg, &format!("data-node=\"consumer:{}\"", consumer.name), "</g>");
        assert!(node.contains(&format!(">{}</text>", consumer.name)), "{node}");
        assert!(node.contains(&format!("(team {})", consumer.team)), "its title names the team: {node}");
        for handled in &consumer.handles {
            let page = pages
                .iter()
                .find(|p| p.source == handled.source && p.detail_type == handled.detail_type)
                .unwrap();
            let edge = format!("data-from=\"event:{}\" data-to=\"consumer:{}\"", page.id, consumer.name);
            assert!(svg.contains(&edge), "{} -> {}", page.id, consumer.name);
        }
    }
    let handled: usize = consumers.list.iter().map(|c| c.handles.len()).sum();
    assert_eq!(
        svg.matches("class=\"edge\"").count(),
        pages.len() + handled,
        "one edge per publication and per handler"
    );
}

#[test]
fn the_platform_picture_is_painted_without_a_script() {
    let (out, _) = site();
    // The index with its script taken away: the picture is still there, painted.
    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    let no_script = out.join("index-no-script.html");
    std::fs::write(&no_script, index.replace("<script src=\"search.js\"></script>", "")).unwrap();
    let shot = xtask::workspace::root().join("target/catalog-screenshots/index-platform.png");
    browser::screenshot(&url(&no_script, ""), &shot, (1280, 1600)).unwrap();
    let decoder = png::Decoder::new(std::io::BufReader::new(std::fs::File::open(&shot).unwrap()));
    let mut reader = decoder.read_info().unwrap();
    let mut pixels = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut pixels).unwrap();
    let channels = info.color_type.samples();
    // The consumer boxes' fill, #eceefb: only the picture uses it.
    let filled =
        pixels[..info.buffer_size()].chunks(channels).filter(|p| p[..3] == [0xec, 0xee, 0xfb]).count();
    assert!(filled > 1_000, "only {filled} pixels of consumer boxes are painted: {}", shot.display());
}

#[test]
fn an_event_page_lists_its_consumers_with_their_team_and_what_they_read() {
    let (out, pages) = site();
    let consumers = consumers();
    let allocated = pages.iter().find(|p| p.id == "trading.TradeInventoryAllocated").unwrap();
    let unconsumed =
        pages.iter().find(|p| p.consumers.is_empty()).expect("some event has no declared consumer");
    for page in pages.iter().filter(|p| !p.consumers.is_empty()).chain([allocated, unconsumed]) {
        let dom = browser::dump_dom(&url(&out.join(format!("events/{}.html", page.id)), "")).unwrap();
        assert!(!element_text(&dom, "producer-text").is_empty(), "{}: the producer is named", page.id);
        let declared: Vec<_> = consumers.of_event(&page.source, &page.detail_type).collect();
        if declared.is_empty() {
            assert!(element_text(&dom, "no-consumers").starts_with("No consumer declares"), "{}", page.id);
            continue;
        }
        for (consumer, handled) in declared {
            let row = unescape(element_from(&dom, &format!("data-consumer=\"{}\"", consumer.name), "</tr>"));
            assert!(
                row.contains(&format!("<td class=\"team\">{}</td>", consumer.team)),
                "{}: {row}",
                page.id
            );
            assert!(row.contains(&format!("href=\"{}\"", consumer.repository)), "{}: {row}", page.id);
            match handled.reads.as_deref() {
                None => assert!(row.contains(crate::consumers::WHOLE_EVENT), "{row}"),
                Some([]) => assert!(row.contains(crate::consumers::NO_FIELD), "{row}"),
                Some(reads) => {
                    for read in reads {
                        assert!(
                            row.contains(&format!("data-read=\"{read}\"")),
                            "{}: {read} in {row}",
                            page.id
                        );
                    }
                }
            }
        }
    }
    // The example from the issue, spelled out.
    let dom = browser::dump_dom(&url(&out.join("events/trading.TradeInventoryAllocated.html"), "")).unwrap();
    let row = element_from(&dom, "data-consumer=\"trading-allocations\"", "</tr>");
    assert!(row.contains("<td class=\"team\">trading</td>"), "{row}");
    let read = element_from(row, "data-read=\"/tradeId\"", "</li>");
    assert!(
        read.contains("<code>/tradeId</code>") && read.contains("string"),
        "the read field and its type: {read}"
    );
}

#[test]
fn searching_a_consumer_lists_the_events_it_handles() {
    let (out, pages) = site();
    let dom = browser::dump_dom(&url(&out.join("index.html"), "?q=trading-allocations")).unwrap();
    let visible: Vec<String> =
        listed(&dom).into_iter().filter(|(_, hidden)| !hidden).map(|(id, _)| id).collect();
    assert_eq!(visible, ["trading.TradeInventoryAllocated"], "of {} events", pages.len());
}
