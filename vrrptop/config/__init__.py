"""Configuration: vrrptop's TOML file and what keepalived.conf tells us."""

from vrrptop.config.derive import instances_from_keepalived, merge, resolve_config
from vrrptop.config.keepalived import (
    KeepalivedConfig,
    KeepalivedInstance,
    TrackScript,
    VrrpScript,
    parse_keepalived,
    parse_keepalived_text,
)
from vrrptop.config.loader import SEARCH_PATH, load_config, parse_config
from vrrptop.config.model import Config, ConfigError, DnsConfig, InstanceConfig

__all__ = [
    "SEARCH_PATH",
    "Config",
    "ConfigError",
    "DnsConfig",
    "InstanceConfig",
    "KeepalivedConfig",
    "KeepalivedInstance",
    "TrackScript",
    "VrrpScript",
    "instances_from_keepalived",
    "load_config",
    "merge",
    "parse_config",
    "parse_keepalived",
    "parse_keepalived_text",
    "resolve_config",
]
