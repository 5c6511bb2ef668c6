"""PyTorch reference for the GPU run: a Qwen3-Embedding-0.6B-shaped model with random weights,
bf16, sdpa attention, on 64 x 512-token batches (the shape ENVIRONMENT.md quotes ~190k tokens/s
for on an H200). Prints one JSON line; never raises, so run.sh always gets a line."""
import json
import sys
import time


def main() -> dict:
    result: dict = {"shape": {"rows": 64, "tokens_per_row": 512}}
    try:
        import torch
        import transformers
        from transformers import Qwen3Config, Qwen3Model

        result.update(torch=torch.__version__, transformers=transformers.__version__, cuda=torch.cuda.is_available())
        if not torch.cuda.is_available():
            result["error"] = "no CUDA device"
            return result
        result["gpu"] = torch.cuda.get_device_name(0)
        config = Qwen3Config(
            vocab_size=151669, hidden_size=1024, intermediate_size=3072, num_hidden_layers=28,
            num_attention_heads=16, num_key_value_heads=8, head_dim=128, max_position_embeddings=32768,
            rope_theta=1_000_000.0, rms_norm_eps=1e-6, tie_word_embeddings=True,
        )
        config._attn_implementation = "sdpa"
        torch.manual_seed(0)
        model = Qwen3Model(config).to(device="cuda", dtype=torch.bfloat16).eval()
        ids = torch.randint(0, config.vocab_size, (64, 512), device="cuda")
        mask = torch.ones_like(ids)
        with torch.inference_mode():
            for _ in range(3):
                model(input_ids=ids, attention_mask=mask, use_cache=False)
            torch.cuda.synchronize()
            runs = 10
            started = time.perf_counter()
            for _ in range(runs):
                hidden = model(input_ids=ids, attention_mask=mask, use_cache=False).last_hidden_state[:, -1]
            torch.cuda.synchronize()
            seconds = (time.perf_counter() - started) / runs
        result.update(ms_per_batch=round(seconds * 1000, 2), tokens_per_s=round(64 * 512 / seconds), finite=bool(torch.isfinite(hidden).all()))
    except Exception as error:  # noqa: BLE001 - the point is to report it
        result["error"] = f"{type(error).__name__}: {error}"
    return result


if __name__ == "__main__":
    print(json.dumps(main()))
    sys.stdout.flush()
