"""Priority files: the seed's host-per-line ranking, its scheme, editing and saving."""

from vrrptop.priority.errors import ConflictError, EditError, PriorityFileError, SaveError
from vrrptop.priority.file import FileWarning, HostEntry, PriorityFile
from vrrptop.priority.history import History
from vrrptop.priority.lines import Line, LineKind, hostname_problem, is_hostname
from vrrptop.priority.onsave import OnSaveResult, run_on_save
from vrrptop.priority.predict import HostPrediction, Prediction, elect, health_ok, predict
from vrrptop.priority.scheme import Scheme, SchemeLike, effective_priority, rank_of
from vrrptop.priority.session import EditSession, MasterChange, unified_diff
from vrrptop.priority.store import DiskState, LoadedFile, changed_on_disk, load, save
from vrrptop.priority.watch import PriorityWatcher, WatchState

__all__ = [
    "ConflictError",
    "DiskState",
    "EditSession",
    "LoadedFile",
    "MasterChange",
    "OnSaveResult",
    "changed_on_disk",
    "load",
    "run_on_save",
    "save",
    "unified_diff",
    "EditError",
    "FileWarning",
    "History",
    "HostEntry",
    "HostPrediction",
    "Line",
    "LineKind",
    "Prediction",
    "PriorityFile",
    "PriorityFileError",
    "PriorityWatcher",
    "WatchState",
    "SaveError",
    "Scheme",
    "SchemeLike",
    "effective_priority",
    "elect",
    "health_ok",
    "hostname_problem",
    "is_hostname",
    "predict",
    "rank_of",
]
