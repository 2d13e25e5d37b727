"""Loudness, waveforms and transcodes of app/audio_analysis, against Debian's ffmpeg."""
