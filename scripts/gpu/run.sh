#!/usr/bin/env bash
# Run THERE, on the GPU machine (no Node, no registry; Python with PyTorch and transformers),
# from the repository root with .gpu-stage/ carried (scripts/gpu/prepare.sh made it):
#
#     run({ command: 'bash scripts/gpu/run.sh', carry: ['.gpu-stage'], timeout_s: 540 })
#
# Unpacks Node, dawn.node and the Vulkan loader, generates the random full-size qwen3-0.6b q4
# model, runs tabembed's engine on onnxruntime-web WebGPU (dawn.node) with a WASM fallback,
# then a PyTorch reference on the same model shape, and writes $OUT/gpu-results.json and
# $OUT/log.txt. Every step is timed and bounded, and a failing step never stops the next
# one: the JSON says what ran. Step limits add up to 435 s; a run that works takes ~3-4 min.
#
# Knobs (for a dry run on a machine without a GPU): SKIP_DEBS=1 leaves / alone,
# GPU_PRESET=qwen3-tiny uses the small model, SKIP_TORCH=1, GPU_WORK=/tmp/… for scratch.
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
STAGE=$ROOT/.gpu-stage
WORK=${GPU_WORK:-/tmp/tabembed-gpu}
OUT=${OUT:-$WORK/out}
PRESET=${GPU_PRESET:-qwen3-0.6b}
mkdir -p "$WORK" "$OUT"
exec > >(tee -a "$OUT/log.txt") 2>&1
START=$(date +%s.%N)
since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
STEPS_FILE=$WORK/steps.tsv
: > "$STEPS_FILE"

# step NAME TIMEOUT_S COMMAND…: runs, logs and records one step; its failure is recorded, not fatal.
step() {
  local name=$1 limit=$2; shift 2
  local t0; t0=$(date +%s.%N)
  echo "[$(since "$START") s] ==== $name (limit ${limit} s): $*"
  # Through bash -c, so a step may be one of the (exported) functions below.
  timeout --kill-after=10 "$limit" bash -c '"$@"' _ "$@"
  local rc=$?
  local took; took=$(since "$t0")
  echo "[$(since "$START") s] ==== $name: exit $rc in $took s$([[ $rc == 124 ]] && echo ' (TIMED OUT)')"
  printf '%s\t%s\t%s\n' "$name" "$rc" "$took" >> "$STEPS_FILE"
  return $rc
}

machine() {
  uname -a; nproc; free -g | head -2
  nvidia-smi --query-gpu=name,driver_version,memory.total,memory.used --format=csv 2>&1 | head -3
  python3 --version
  ls -l /usr/local/nvidia/share/vulkan/icd.d/ 2>&1 | head -5
  cat "$STAGE/manifest.txt" 2>/dev/null | head -1
}

unpack() {
  set -e
  xz -dc "$STAGE/node.xz" > "$WORK/node" && chmod +x "$WORK/node" && "$WORK/node" --version
  rm -rf "$WORK/dawn" && cp -r "$STAGE/dawn" "$WORK/dawn" && xz -d "$WORK/dawn/dist/linux-x64/dawn.node.xz"
  xz -dc "$STAGE/ort-wasm-simd-threaded.asyncify.wasm.xz" > "$WORK/ort-wasm-simd-threaded.asyncify.wasm"
  mkdir -p "$WORK/tokenizer" && xz -dc "$STAGE/tokenizer/tokenizer.json.xz" > "$WORK/tokenizer/tokenizer.json" && cp "$STAGE/tokenizer/tokenizer_config.json" "$WORK/tokenizer/"
  ls -l "$WORK" "$WORK/dawn/dist/linux-x64"
}

vulkan_libs() {
  set -e
  for deb in "$STAGE"/debs/*.deb; do echo "dpkg -x $(basename "$deb") /"; dpkg -x "$deb" /; done
  ldconfig
  ldconfig -p | grep -E 'libvulkan|libGLX|libEGL' | head -8
}

export STAGE WORK
export -f machine unpack vulkan_libs
step machine 10 machine
step unpack 40 unpack
if [[ "${SKIP_DEBS:-0}" != 1 ]]; then step vulkan-libs 20 vulkan_libs; fi
ICD=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [[ -f $ICD ]]; then export VK_ICD_FILENAMES=$ICD; echo "VK_ICD_FILENAMES=$ICD"; cat "$ICD"; else echo "no $ICD: dawn.node will look on its own"; fi

NODE=$WORK/node
export TABEMBED_QWEN3_TOKENIZER_DIR=$WORK/tokenizer
case $PRESET in qwen3-0.6b) MODEL_DIR=$WORK/models/qwen3-0.6b-random ;; *) MODEL_DIR=$WORK/models/$PRESET ;; esac
step fixture 90 "$NODE" "$STAGE/bundle/gpu-main.mjs" fixture --out "$WORK/models" --preset "$PRESET"
du -sh "$MODEL_DIR" 2>&1
# Exit 137 with tabembed.json written is the bench's deliberate hard exit (gpu-main.ts says why).
rm -f "$OUT/tabembed.json"
step tabembed 200 "$NODE" "$STAGE/bundle/gpu-main.mjs" bench --model "$MODEL_DIR" --wasm "$WORK/ort-wasm-simd-threaded.asyncify.wasm" --dawn "$WORK/dawn" --json "$OUT/tabembed.json"
[[ -s "$OUT/tabembed.json" ]] && echo "tabembed.json written" || echo "tabembed.json MISSING"
if [[ "${SKIP_TORCH:-0}" != 1 ]]; then
  step torch 75 bash -c "python3 '$ROOT/scripts/gpu/torch_reference.py' > '$OUT/torch.json'"
  cat "$OUT/torch.json" 2>/dev/null
fi

# One file with everything: steps, tabembed's runs, PyTorch's figure and the ratio.
python3 - "$OUT" "$STEPS_FILE" "$(since "$START")" <<'PY'
import json, os, sys
out, steps_file, seconds = sys.argv[1], sys.argv[2], float(sys.argv[3])
def load(name):
    try:
        with open(os.path.join(out, name)) as f:
            return json.load(f)
    except Exception as error:
        return {"missing": f"{name}: {error}"}
steps = [dict(zip(("step", "exit", "seconds"), line.rstrip("\n").split("\t"))) for line in open(steps_file) if line.strip()]
tabembed, torch = load("tabembed.json"), load("torch.json")
ours = (tabembed.get("headline") or {}).get("tokens_per_s")
theirs = torch.get("tokens_per_s")
result = {
    "seconds": seconds, "steps": steps, "tabembed": tabembed, "torch": torch,
    "comparison": {
        "tabembed_device": (tabembed.get("headline") or {}).get("device"),
        "tabembed_tokens_per_s": ours, "torch_tokens_per_s": theirs,
        "tabembed_over_torch": round(ours / theirs, 4) if ours and theirs else None,
    },
}
with open(os.path.join(out, "gpu-results.json"), "w") as f:
    json.dump(result, f, indent=2)
print("gpu-results.json:", json.dumps(result["comparison"]))
PY
echo "[$(since "$START") s] done; $OUT holds: $(ls "$OUT" | tr '\n' ' ')"
