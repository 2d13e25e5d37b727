"""ffmpeg's own answers (the reference) and the lavfi sources of the test audio."""

import re
import subprocess
from pathlib import Path

FFMPEG = "/usr/bin/ffmpeg"
FFPROBE = "/usr/bin/ffprobe"
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "audio"

#: name -> (lavfi source with filters, ffmpeg output options, file suffix)
SOURCES = {
    "quiet": ("sine=f=440:d=4,volume=-35dB", ["-ac", "2", "-ar", "48000"], "wav"),
    "loud": ("anoisesrc=d=4:c=pink:a=0.9:seed=1", ["-ac", "2"], "flac"),
    # sine's amplitude is 1/8; +24 dB drives it to twice full scale, clipped by 16-bit PCM.
    "clipped": ("sine=f=220:d=4,volume=24dB", ["-ac", "2", "-c:a", "pcm_s16le"], "wav"),
    "mono": ("anoisesrc=d=4:c=pink:a=0.4:seed=2", ["-ac", "1", "-b:a", "192k"], "mp3"),
    # Surround channels weigh 1.41 in R128 and the LFE not at all: unequal gains test both.
    "surround": (
        "anoisesrc=d=4:c=pink:a=0.3:seed=3,"
        "pan=5.1|FL=c0|FR=0.8*c0|FC=0.6*c0|LFE=c0|BL=0.4*c0|BR=0.2*c0",
        [],
        "wav",
    ),
    "silent": ("aevalsrc=0:d=3:s=44100", ["-ac", "2"], "wav"),
    # Quiet then loud: a loudness range of many LU.
    "dynamic": (
        "anoisesrc=d=12:c=pink:a=0.8:seed=4,volume='if(lt(t,6),0.2,1)':eval=frame",
        ["-ac", "2"],
        "flac",
    ),
    "fade_in": ("sine=f=440:d=4,volume=18dB,afade=t=in:d=4", ["-ac", "1"], "wav"),
    "left_only": ("sine=f=440:d=3,volume=12dB,pan=stereo|c0=c0|c1=0*c0", [], "wav"),
    "noise_long": ("anoisesrc=d=8:c=pink:a=0.3:seed=5", ["-ac", "2", "-ar", "44100"], "flac"),
}


def ffmpeg_ebur128(*paths: Path) -> dict[str, float]:
    """ffmpeg's ebur128 summary (I, LRA, Peak) for one file or the concatenation of several."""
    inputs = [arg for path in paths for arg in ("-i", str(path))]
    streams = "".join(f"[{number}:a]" for number in range(len(paths)))
    chain = f"{streams}concat=n={len(paths)}:v=0:a=1," if len(paths) > 1 else ""
    command = [FFMPEG, "-hide_banner", "-nostats", *inputs]
    command += ["-filter_complex", f"{chain}ebur128=peak=true", "-f", "null", "-"]
    output = subprocess.run(command, capture_output=True, text=True, timeout=120).stderr
    summary = output[output.rindex("Summary:") :]
    return {
        key: float(re.search(rf"{key}:\s+(\S+)", summary).group(1)) for key in ("I", "LRA", "Peak")
    }


def ffprobe(path: Path) -> dict[str, str]:
    """The first stream's and the format's fields as ffprobe reports them."""
    command = [FFPROBE, "-v", "error", "-show_entries"]
    command += ["stream=codec_name,sample_rate,channels:format=bit_rate,duration,format_name"]
    command += ["-of", "default=noprint_wrappers=1", str(path)]
    output = subprocess.run(command, capture_output=True, text=True, timeout=60).stdout
    return dict(line.split("=", 1) for line in output.splitlines() if "=" in line)
