"""Layer 2: the rule API, fixes, pragmas, settings and the fix engine. Imports syntax only."""
