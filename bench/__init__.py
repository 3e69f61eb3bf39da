"""The benchmark of the production stack (bench/serve.py) and its data (bench/scale.py)."""
