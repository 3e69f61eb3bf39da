"""Public pages (`pages`) and the map with its layers (`map`)."""
