"""advisor's version, in a module of its own so that ``advisor --version`` imports nothing else."""

__version__ = "0.2.0"
