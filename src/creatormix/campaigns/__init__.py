"""Campaign logic, pure: deals and their events, codes, tracking links, attribution, ROI, learning.

Nothing here touches the database or the network; ``store/campaigns.py`` persists, the
``Workspace`` facade orchestrates, ``web/`` serves the redirect.
"""
