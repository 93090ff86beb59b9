#!/usr/bin/env python3
"""Pillow's CLIP preprocessing of one image file, timed on one thread: the reference that ImageTransformBench
(model module, -Pbench) and `clipstream bench` compare `model` with, in the same run.

decode + convert("RGB") + resize (shorter side to SIZE, BICUBIC, longer side int(SIZE * long / short))
+ centre crop SIZE x SIZE, as OpenAI's clip.load and Hugging Face's CLIPImageProcessor do it.

Usage: pillow_preprocess.py FILE [--seconds 3] [--warmup 2] [--size 224]
Last line, machine-readable: pillow: version=9.4.0 images_per_s=... p50_ms=... p99_ms=... decode_per_s=...
"""
import argparse
import io
import time

import PIL
from PIL import Image


def preprocess(data, size):
    image = Image.open(io.BytesIO(data)).convert("RGB")
    width, height = image.size
    if width <= height:
        target = (size, int(size * height / width))
    else:
        target = (int(size * width / height), size)
    image = image.resize(target, Image.BICUBIC)
    left = int(round((target[0] - size) / 2.0))
    top = int(round((target[1] - size) / 2.0))
    return image.crop((left, top, left + size, top + size))


def decode(data, size):
    return Image.open(io.BytesIO(data)).convert("RGB")


def timed(action, data, size, warmup, seconds):
    """Calls per second and the per-call latencies (seconds) of the measured part."""
    end = time.perf_counter() + warmup
    while time.perf_counter() < end:
        action(data, size)
    latencies = []
    start = time.perf_counter()
    now = start
    while now - start < seconds:
        action(data, size)
        after = time.perf_counter()
        latencies.append(after - now)
        now = after
    latencies.sort()
    return len(latencies) / (now - start), latencies


def percentile(sorted_values, p):
    return sorted_values[min(len(sorted_values) - 1, int(p * len(sorted_values)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("file")
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--warmup", type=float, default=2.0)
    parser.add_argument("--size", type=int, default=224)
    args = parser.parse_args()
    with open(args.file, "rb") as f:
        data = f.read()
    per_s, latencies = timed(preprocess, data, args.size, args.warmup, args.seconds)
    decode_per_s, _ = timed(decode, data, args.size, args.warmup / 2, args.seconds)
    print("pillow: version=%s images_per_s=%.1f p50_ms=%.3f p99_ms=%.3f decode_per_s=%.1f" % (
        PIL.__version__, per_s, 1e3 * percentile(latencies, 0.5), 1e3 * percentile(latencies, 0.99), decode_per_s))


if __name__ == "__main__":
    main()
