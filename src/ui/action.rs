//! Everything that can happen to the interface, as data. Input (keys, mouse, resize, time)
//! becomes an [`Action`]; [`super::app::App::update`] is the only place that acts on it.

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// A character typed into the search.
    Type(char),
    /// Text pasted (bracketed paste): typed into the search, control characters dropped.
    Paste(String),
    Backspace,
    ClearQuery,
    Up,
    Down,
    PageUp,
    PageDown,
    First,
    Last,
    Open,
    Back,
    /// Digit key: a theme on Home, a visible row in Results.
    Digit(u8),
    Help,
    About,
    ToggleLanguage,
    FilterTheme,
    FilterCommune,
    FilterPlace,
    FilterFree,
    /// F7: all / open now / open today.
    FilterOpen,
    /// F8: relevance ⇄ distance.
    ToggleSort,
    /// Staff: ask for the commune distances are measured from.
    AskNear,
    /// Tab: the results as a list ⇄ on the map.
    ToggleMap,
    Quit,
    /// The terminal's new size.
    Resize(u16, u16),
    /// Mouse click at (column, row).
    Click(u16, u16),
    WheelUp,
    WheelDown,
    /// Time passes: idle countdown, idle reset, index-generation check.
    Tick,
}
