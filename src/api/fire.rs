//! Fires a connector's own request ("try it") (being written).
