//! Tests of `update`: one per interaction, asserting state and effects.
