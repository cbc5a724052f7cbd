"""Small pieces every stage shares: bounded caches, coordinates, safe YAML, bundled paths.

Owns nothing about places or events. Imports only the standard library and ``geo.exc``.
"""
