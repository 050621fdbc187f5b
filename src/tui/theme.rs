//! Colours and styles, in one place so the screens stay consistent. Draws nothing.

use ratatui::style::{Color, Modifier, Style};

pub const ACCENT: Color = Color::Cyan;
pub const OK: Color = Color::Green;
pub const WARN: Color = Color::Yellow;
pub const ERROR: Color = Color::Red;
pub const MUTED: Color = Color::DarkGray;
pub const CHANGED: Color = Color::Magenta;

pub fn text() -> Style {
    Style::new()
}
pub fn muted() -> Style {
    Style::new().fg(MUTED)
}
pub fn label() -> Style {
    Style::new().fg(Color::Gray)
}
pub fn focused_label() -> Style {
    Style::new().fg(ACCENT).add_modifier(Modifier::BOLD)
}
pub fn border() -> Style {
    Style::new().fg(MUTED)
}
pub fn focused_border() -> Style {
    Style::new().fg(ACCENT)
}
/// A bordered box, its border in the accent while it has the focus.
pub fn framed(focused: bool) -> ratatui::widgets::Block<'static> {
    ratatui::widgets::Block::default()
        .borders(ratatui::widgets::Borders::ALL)
        .border_style(if focused { focused_border() } else { border() })
}
pub fn title() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}
pub fn selected_row() -> Style {
    Style::new()
        .bg(Color::Indexed(236))
        .add_modifier(Modifier::BOLD)
}
pub fn cursor() -> Style {
    Style::new().add_modifier(Modifier::REVERSED)
}
pub fn error() -> Style {
    Style::new().fg(ERROR)
}
pub fn warning() -> Style {
    Style::new().fg(WARN)
}
pub fn ok() -> Style {
    Style::new().fg(OK)
}
pub fn changed() -> Style {
    Style::new().fg(CHANGED).add_modifier(Modifier::BOLD)
}
pub fn error_mark() -> Style {
    Style::new()
        .bg(ERROR)
        .fg(Color::White)
        .add_modifier(Modifier::BOLD)
}
pub fn key() -> Style {
    Style::new().fg(ACCENT).add_modifier(Modifier::BOLD)
}
pub fn sandbox_badge() -> Style {
    Style::new()
        .bg(Color::Blue)
        .fg(Color::White)
        .add_modifier(Modifier::BOLD)
}
pub fn live_badge() -> Style {
    Style::new()
        .bg(ERROR)
        .fg(Color::White)
        .add_modifier(Modifier::BOLD)
}
pub fn status_bar() -> Style {
    Style::new().bg(Color::Indexed(235))
}
pub fn toast() -> Style {
    Style::new().fg(OK).add_modifier(Modifier::BOLD)
}

/// What a try-it select matched, in the response.
pub fn matched() -> Style {
    Style::new().bg(ACCENT).fg(Color::Black)
}

/// Selected text in the editors.
pub fn selection() -> Style {
    Style::new().bg(Color::Indexed(238))
}

/// The colour of each kind of highlighted text, in the editors and the JSON views alike.
pub fn code(kind: crate::template::highlight::Kind) -> Style {
    use crate::template::highlight::Kind;
    match kind {
        Kind::Data => text(),
        Kind::Tag => Style::new().fg(CHANGED),
        Kind::Keyword => Style::new().fg(CHANGED).add_modifier(Modifier::BOLD),
        Kind::Variable => Style::new().add_modifier(Modifier::BOLD),
        Kind::Filter => Style::new().fg(ACCENT).add_modifier(Modifier::ITALIC),
        Kind::String => json::string(),
        Kind::Number => json::number(),
        Kind::Literal => json::literal(),
        Kind::Punct => json::punct(),
        Kind::Comment => muted().add_modifier(Modifier::ITALIC),
        Kind::Key => json::key(),
    }
}

/// JSON syntax colours for the preview.
pub mod json {
    use super::{Color, Style};
    pub fn key() -> Style {
        Style::new().fg(Color::Cyan)
    }
    pub fn string() -> Style {
        Style::new().fg(Color::Green)
    }
    pub fn number() -> Style {
        Style::new().fg(Color::Yellow)
    }
    pub fn literal() -> Style {
        Style::new().fg(Color::Magenta)
    }
    pub fn punct() -> Style {
        Style::new().fg(Color::Gray)
    }
}

/// The colours the screen is drawn in (chosen in the config's `[theme]`). Every screen is
/// styled for `Dark`; [`apply`] turns a drawn buffer into the others, so no view needs to know
/// which one is in use.
pub use crate::config::Palette;

/// Recolours every cell of a buffer drawn in the dark palette.
pub fn apply(palette: Palette, buffer: &mut ratatui::buffer::Buffer) {
    if palette == Palette::Dark {
        return;
    }
    for cell in &mut buffer.content {
        let (fg, bg, modifier) = recolor(palette, cell.fg, cell.bg);
        cell.fg = fg;
        cell.bg = bg;
        cell.modifier |= modifier;
    }
}

/// One cell's colours in `palette`, and the attributes that replace a colour that is gone.
fn recolor(palette: Palette, fg: Color, bg: Color) -> (Color, Color, Modifier) {
    match palette {
        Palette::Dark => (fg, bg, Modifier::empty()),
        Palette::Light => (light(fg), light_bg(bg), Modifier::empty()),
        Palette::Ansi16 => {
            let (bg, modifier) = match bg {
                Color::Indexed(236 | 238) => (Color::Reset, Modifier::REVERSED),
                Color::Indexed(_) => (Color::Black, Modifier::empty()),
                other => (other, Modifier::empty()),
            };
            let fg = match fg {
                Color::Indexed(_) => Color::Gray,
                other => other,
            };
            (fg, bg, modifier)
        }
        Palette::Mono => (Color::Reset, Color::Reset, mono_marks(fg, bg)),
    }
}

/// With no colour, what each cue still needs: an accent or error is bold, an error or
/// warning underlined too, a muted text dim, a coloured background (selection, badges, the
/// error mark) reversed.
fn mono_marks(fg: Color, bg: Color) -> Modifier {
    let for_text = match fg {
        ERROR => Modifier::BOLD | Modifier::UNDERLINED,
        WARN => Modifier::UNDERLINED,
        ACCENT | CHANGED => Modifier::BOLD,
        MUTED => Modifier::DIM,
        _ => Modifier::empty(),
    };
    let for_background = match bg {
        Color::Reset | Color::Indexed(235) => Modifier::empty(),
        _ => Modifier::REVERSED,
    };
    for_text | for_background
}

/// Foreground colours readable on a light background.
fn light(fg: Color) -> Color {
    match fg {
        Color::Cyan => Color::Blue,
        Color::Green => Color::Indexed(28),
        Color::Yellow => Color::Indexed(130),
        Color::Gray => Color::Indexed(240),
        Color::DarkGray => Color::Indexed(245),
        other => other,
    }
}

fn light_bg(bg: Color) -> Color {
    match bg {
        Color::Indexed(236) => Color::Indexed(253),
        Color::Indexed(238) => Color::Indexed(252),
        Color::Indexed(235) => Color::Indexed(254),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::buffer::Buffer;
    use ratatui::layout::Rect;

    #[test]
    fn mono_leaves_no_colour_and_a_mark_for_every_cue() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 4, 1));
        buffer[(0, 0)].set_style(error());
        buffer[(1, 0)].set_style(warning());
        buffer[(2, 0)].set_style(selected_row());
        buffer[(3, 0)].set_style(focused_border());
        apply(Palette::Mono, &mut buffer);
        for cell in &buffer.content {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset));
            assert!(!cell.modifier.is_empty(), "{cell:?}");
        }
        assert!(
            buffer[(0, 0)]
                .modifier
                .contains(Modifier::UNDERLINED | Modifier::BOLD)
        );
        assert!(
            buffer[(2, 0)]
                .modifier
                .contains(Modifier::REVERSED | Modifier::BOLD)
        );
    }

    #[test]
    fn sixteen_colours_use_no_indexed_colour() {
        let mut buffer = Buffer::empty(Rect::new(0, 0, 3, 1));
        buffer[(0, 0)].set_style(selected_row());
        buffer[(1, 0)].set_style(status_bar());
        buffer[(2, 0)].set_style(label());
        apply(Palette::Ansi16, &mut buffer);
        for cell in &buffer.content {
            assert!(
                !matches!(cell.fg, Color::Indexed(_) | Color::Rgb(..)),
                "{cell:?}"
            );
            assert!(
                !matches!(cell.bg, Color::Indexed(_) | Color::Rgb(..)),
                "{cell:?}"
            );
        }
    }
}
