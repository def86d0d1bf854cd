"""Services shared by several blueprints (organisation lookups, notifications, jobs).

Area-specific services live in their blueprint package; these sit one layer below so that blueprints
never import each other.
"""
