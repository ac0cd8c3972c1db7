"""Building blocks shared by every app; no business rules live here."""
