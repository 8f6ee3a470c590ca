"""The family-independent part of applications: plug-in interface, statuses, clock."""
