"""The resonance loop: which strategy writes a participant's analogy, the probability it was chosen with, and what
was learned from the ratings (docs/learning.md)."""
