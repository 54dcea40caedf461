"""Frozen types and enums of the product; imports nothing else of ours."""
