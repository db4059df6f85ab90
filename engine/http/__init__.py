"""HTTP semantics shared by the rules: media-type negotiation, parameter styles and binding."""
