"""Widgets of the vrrptop console."""
