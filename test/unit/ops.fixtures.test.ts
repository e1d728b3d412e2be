// The functional ops of the fixtures' forwards: shapes chain into the next layer and their FLOPs
// make up exactly the model total minus the layers' (the expected JSON came from real PyTorch).
import * as assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isUnknown, type ArgValue, type Output, type TensorMeta } from "../../src/core/types";
import { run, S, shapes, T } from "./ops.support.test";

interface LayerRow {
  readonly path: string;
  readonly output: number[];
  readonly flops: number | null;
}
interface ModelRow {
  readonly name: string;
  readonly flops: number | null;
  readonly layers: LayerRow[];
}

function model(fixture: string, name: string): ModelRow {
  const file = join(__dirname, "..", "fixtures", `${fixture}.expected.json`);
  const report = JSON.parse(readFileSync(file, "utf8")) as { models: ModelRow[] };
  const m = report.models.find((x) => x.name === name);
  assert.ok(m, `${fixture}: no model ${name}`);
  return m;
}

/** Replays a forward: layer outputs come from the fixture, ops from the rules; op FLOPs are summed. */
class Forward {
  opFlops = 0;
  constructor(readonly m: ModelRow) {}

  layer(path: string): TensorMeta {
    const row = this.m.layers.find((l) => l.path === path);
    assert.ok(row, `no layer ${path}`);
    return T(...row.output);
  }

  op(call: string, args: readonly ArgValue[], kw: Readonly<Record<string, ArgValue>> = {}): TensorMeta {
    const res = run(call, args, kw);
    assert.deepEqual(res.problems, [], call);
    assert.ok(!isUnknown(res.cost), `${call}: ${isUnknown(res.cost) ? res.cost.reason : ""}`);
    this.opFlops += res.cost.flops;
    return (Array.isArray(res.output) ? (res.output as readonly Output[])[0] : res.output) as TensorMeta;
  }

  /** The op's output is what the Linear `path` (in_features as in the fixture's source) received. */
  feeds(t: TensorMeta, path: string, inFeatures: number): void {
    const out = this.layer(path).shape as number[];
    assert.deepEqual(shapes(t), [...out.slice(0, -1), inFeatures], `input of ${path}`);
  }

  checkTotal(): void {
    const layers = this.m.layers.reduce((acc, l) => acc + (l.flops ?? 0), 0);
    assert.equal(this.opFlops, (this.m.flops as number) - layers);
  }
}

describe("op rules: the fixtures' functional ops", () => {
  it("functional_convnet: F.max_pool2d(x, (2, 2)), x.view(x.size(0), -1), F.relu", () => {
    const f = new Forward(model("custom_forward/functional_convnet", "Net"));
    let x = f.op("F.max_pool2d", [f.op("F.relu", [f.layer("conv1")]), [2, 2]]);
    assert.deepEqual(shapes(x), [4, 6, 14, 14]);
    x = f.op("F.max_pool2d", [f.op("F.relu", [f.layer("conv2")]), 2]);
    x = f.op("method.view", [x, 4, -1]);
    assert.deepEqual(shapes(x), [4, 400]);
    f.op("F.relu", [f.layer("fc1")]);
    f.op("F.relu", [f.layer("fc2")]);
    f.checkTotal();
  });

  it("residual_add: x + y, F.relu, F.max_pool2d, x.mean(dim=(2, 3))", () => {
    const f = new Forward(model("custom_forward/residual_add", "ResidualNet"));
    let x = f.op("F.relu", [f.layer("entry")]);
    for (const unit of ["unit1", "unit2"]) {
      if (unit === "unit2") x = f.op("F.max_pool2d", [x, 2]);
      f.op("F.relu", [f.layer(`${unit}.bn1`)]);
      x = f.op("F.relu", [f.op("torch.add", [x, f.layer(`${unit}.bn2`)])]);
    }
    x = f.op("method.mean", [x], { dim: [2, 3] });
    f.feeds(x, "fc", 32);
    assert.deepEqual(shapes(x), [2, 32]);
    f.checkTotal();
  });

  it("inception_cat: torch.cat(dim=1), F.adaptive_avg_pool2d(x, 1), torch.flatten(x, 1)", () => {
    const f = new Forward(model("custom_forward/inception_cat", "MiniInception"));
    f.op("F.relu", [f.layer("stem")]);
    let x = T();
    for (const mix of ["mix_a", "mix_b"]) {
      for (const p of ["b3_reduce", "b5_reduce"]) f.op("F.relu", [f.layer(`${mix}.${p}`)]);
      const ys = ["b1", "b3", "b5", "pool_proj"].map((p) => f.op("F.relu", [f.layer(`${mix}.${p}`)]));
      x = f.op("torch.cat", [ys], { dim: 1 });
      if (mix === "mix_a") assert.deepEqual(shapes(x), [1, 128, 32, 32]);
    }
    x = f.op("torch.flatten", [f.op("F.adaptive_avg_pool2d", [x, 1]), 1]);
    f.feeds(x, "head", 240);
    f.checkTotal();
  });

  it("conv1d_audio: gap(x).squeeze(-1), F.log_softmax(dim=-1)", () => {
    const f = new Forward(model("layer_zoo/conv1d_audio", "RawAudioNet"));
    f.op("F.relu", [f.layer("bn1")]);
    f.op("F.relu", [f.layer("bn2")]);
    f.op("F.relu", [f.layer("conv3")]);
    f.feeds(f.op("method.squeeze", [f.layer("gap"), -1]), "fc", 64);
    assert.deepEqual(shapes(f.op("F.log_softmax", [f.layer("fc")], { dim: -1 })), [2, 35]);
    f.checkTotal();
  });

  it("resnet_make_layer: out += shortcut(x), F.avg_pool2d(out, out.size()[3]), out.view(out.size(0), -1)", () => {
    const m = model("structure/resnet_make_layer", "ResNet");
    const f = new Forward(m);
    let out = f.op("F.relu", [f.layer("bn1")]);
    for (const l of [1, 2, 3]) {
      for (const b of [0, 1, 2]) {
        const p = `layer${l}.${b}`;
        f.op("F.relu", [f.layer(`${p}.bn1`)]);
        const hasConv = m.layers.some((r) => r.path === `${p}.shortcut.1`);
        const short = hasConv ? f.layer(`${p}.shortcut.1`) : out;
        out = f.op("F.relu", [f.op("method.add_", [f.layer(`${p}.bn2`), short])]);
      }
    }
    out = f.op("F.avg_pool2d", [out, 8]);
    assert.deepEqual(shapes(out), [1, 64, 1, 1]);
    out = f.op("method.view", [out, 1, -1]);
    f.feeds(out, "linear", 64);
    f.checkTotal();
  });

  it("unet_tiny: F.max_pool2d(s1, 2), torch.cat([up, skip], dim=1)", () => {
    const f = new Forward(model("custom_forward/unet_tiny", "TinyUNet"));
    for (const b of ["enc1", "enc2", "bottom", "dec2", "dec1"]) {
      f.op("F.relu", [f.layer(`${b}.c1`)]);
      f.op("F.relu", [f.layer(`${b}.c2`)]);
    }
    assert.deepEqual(shapes(f.op("F.max_pool2d", [f.layer("enc1.c2"), 2])), [1, 8, 32, 32]);
    f.op("F.max_pool2d", [f.layer("enc2.c2"), 2]);
    assert.deepEqual(shapes(f.op("torch.cat", [[f.layer("up2"), f.layer("enc2.c2")]], { dim: 1 })), [1, 32, 32, 32]);
    assert.deepEqual(shapes(f.op("torch.cat", [[f.layer("up1"), f.layer("enc1.c2")]], { dim: 1 })), [1, 16, 64, 64]);
    f.checkTotal();
  });

  it("embedding_lstm: torch.cat((h_n[-2], h_n[-1]), dim=1)", () => {
    const f = new Forward(model("layer_zoo/embedding_lstm", "SentimentLSTM"));
    const h = T(4, 4, 48);
    const last = f.op("torch.cat", [[f.op("method.getitem", [h, -2]), f.op("method.getitem", [h, -1])]], { dim: 1 });
    assert.deepEqual(shapes(last), shapes(f.layer("dropout")));
    f.checkTotal();
  });

  it("padding_same: x.reshape(n, c, h * w)", () => {
    const f = new Forward(model("layer_zoo/padding_same", "SamePadding"));
    const x = f.op("method.reshape", [f.layer("e"), 1, 4, 19 * 28]);
    assert.deepEqual(shapes(x), [1, 4, 532]);
    f.checkTotal();
  });

  it("transformer_encoder: self.tok(ids) + self.pos[:, : ids.size(1)], x.mean(dim=1)", () => {
    const f = new Forward(model("layer_zoo/transformer_encoder", "TinyTextTransformer"));
    const pos = f.op("method.getitem", [T(1, 16, 32), [S(), S(null, 16)]]);
    assert.deepEqual(shapes(f.op("torch.add", [f.layer("tok"), pos])), [3, 16, 32]);
    f.feeds(f.op("method.mean", [f.layer("layer.norm2")], { dim: 1 }), "cls", 32);
  });

  it("gru_seq: h[-1] feeds the head", () => {
    const f = new Forward(model("layer_zoo/gru_seq", "GRUForecaster"));
    const gru = f.m.layers.find((l) => l.path === "gru");
    assert.ok(gru);
    const h = (gru.output as unknown as number[][])[1];
    f.feeds(f.op("method.getitem", [T(...h), -1]), "head", 32);
  });
});
