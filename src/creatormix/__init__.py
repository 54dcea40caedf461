"""creatormix: micro or macro creators, which ones, how many, for what budget, and did it pay off."""

__version__ = "0.1.0"
__all__ = ["__version__"]
