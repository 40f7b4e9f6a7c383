"""Screens of the vrrptop console."""
