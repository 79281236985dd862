"""Learning what resonates (the analogy loop) and the room's mood."""
