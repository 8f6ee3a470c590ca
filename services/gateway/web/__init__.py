"""The gateway's own pages (home, dashboards, the development mailbox) and the portal setup."""
