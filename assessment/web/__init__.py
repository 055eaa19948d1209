"""The web layer: blueprints parse input, call a service, and render or redirect."""
