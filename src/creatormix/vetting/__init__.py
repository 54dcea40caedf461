"""Vetting: fake-follower model, audience quality, engagement anomalies, audience fit, relevance.

A pure package: it takes arrays and frozen domain objects and returns domain objects; the
workspace facade fetches the data and calls it. See docs/vetting.md.
"""
