"""Music for the session: the player contract, its VLC and Qt Multimedia engines, fades and
playlists. Importing this package does not load libvlc (``factory.load_vlc`` does)."""

from companion.audio.factory import VlcUnavailableError, create_player, load_vlc
from companion.audio.fades import Fade, FadeCurve, fade_volume
from companion.audio.library import BundledAudio, bundled_tracks, load_manifest
from companion.audio.player import BasePlayer, Player, PlayerState
from companion.audio.playlist import MusicPlan, collect_sources, parse_m3u, plan_session

__all__ = [
    "BasePlayer",
    "BundledAudio",
    "Fade",
    "FadeCurve",
    "MusicPlan",
    "Player",
    "PlayerState",
    "VlcUnavailableError",
    "bundled_tracks",
    "collect_sources",
    "create_player",
    "fade_volume",
    "load_manifest",
    "load_vlc",
    "parse_m3u",
    "plan_session",
]
