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
