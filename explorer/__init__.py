"""Thumbtack API Explorer: a desktop explorer for the Thumbtack Partner API v4.

Importing this package stays cheap and Qt-free: it only carries the version.
"""

__version__ = "0.1.0"
