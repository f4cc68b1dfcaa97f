"""Made-up cue-conflict stimuli and tiny TorchScript "classifiers" for the shape bias tests
(tests/test_shape_bias.cpp). Each stimulus is one flat colour that encodes its classes: red = 16 * shape + 8,
green = 16 * texture + 8, blue = 100 * answer (0: texture, 1: shape, 2: neither). The models undo the
ImageNet normalisation, read those values back and put a large logit on an ImageNet index of the class they
choose, so their shape bias is known exactly:
  shape.pt    always the shape class          -> 1.0
  texture.pt  always the texture class        -> 0.0
  mix.pt      what the blue channel says      -> the fraction written to expected.json
  wrong_size.pt  10 logits instead of 1,000   -> an error naming the file
usage: shape_bias_fixtures.py OUT   (writes OUT/stimuli/<class>/*.png, OUT/*.pt and OUT/expected.json)"""
import json
import os
import sys

import torch
from PIL import Image

HERE = os.path.dirname(os.path.abspath(__file__))
CSV = os.path.join(HERE, '..', '..', 'configs', 'shape_bias', 'human_categories.csv')
IMAGES_PER_CLASS = 5  # the first of each class has texture == shape and must be left out


def read_categories():
    rows = [line.strip() for line in open(CSV) if line.strip() and not line.startswith('#')][1:]
    return [(name, [int(i) for i in indices.split()]) for name, indices in (r.split(',') for r in rows)]


def stimulus_plan(count):
    """(shape, texture, answer, size) of every stimulus: textures spread over the classes, answers mixed."""
    plan = []
    for s in range(count):
        for i in range(IMAGES_PER_CLASS):
            t = (s + 3 * i) % count
            answer = (s + i) % 3
            size = (300, 256) if (s, i) == (count - 1, IMAGES_PER_CLASS - 1) else (224, 224)
            plan.append((s, t, answer, size))
    return plan


def write_stimuli(out, categories, plan):
    numbers = {}
    for s, t, answer, size in plan:
        name_s, name_t = categories[s][0], categories[t][0]
        numbers[s] = numbers.get(s, 0) + 1
        folder = os.path.join(out, 'stimuli', name_s)
        os.makedirs(folder, exist_ok=True)
        colour = (16 * s + 8, 16 * t + 8, 100 * answer)
        Image.new('RGB', size, colour).save(os.path.join(folder, f'{name_s}{numbers[s]}-{name_t}{t + 1}.png'))


def expected_mix(categories, plan):
    per_class = {name: {'shape': 0, 'texture': 0, 'other': 0} for name, _ in categories}
    for s, t, answer, _ in plan:
        if s != t:
            per_class[categories[s][0]][('texture', 'shape', 'other')[answer]] += 1
    shape = sum(c['shape'] for c in per_class.values())
    texture = sum(c['texture'] for c in per_class.values())
    left_out = sum(1 for s, t, _, _ in plan if s == t)
    return {'per_class': per_class, 'shape': shape, 'texture': texture, 'left_out': left_out,
            'images': len(plan) - left_out, 'shape_bias': shape / (shape + texture)}


class Decoder(torch.nn.Module):
    def __init__(self, kind: int, categories, outputs: int = 1000):
        super().__init__()
        self.kind = kind
        count = len(categories)
        table = torch.zeros(count, outputs)
        for c, (_, indices) in enumerate(categories):
            table[c, indices[0] % outputs] = 20.0
        # "neither": the first class that is neither the shape nor the texture class
        other = torch.tensor([[next(c for c in range(count) if c not in (s, t)) for t in range(count)]
                              for s in range(count)])
        self.register_buffer('table', table)
        self.register_buffer('other', other)
        self.register_buffer('mean', torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
        self.register_buffer('std', torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        v = ((x * self.std + self.mean) * 255.0).mean(dim=(2, 3))
        s = torch.floor(v[:, 0] / 16).long()
        t = torch.floor(v[:, 1] / 16).long()
        answer = torch.round(v[:, 2] / 100).long()
        if self.kind == 0:
            decision = s
        elif self.kind == 1:
            decision = t
        else:
            decision = torch.where(answer == 1, s, torch.where(answer == 0, t, self.other[s, t]))
        return self.table[decision]


def main():
    out = sys.argv[1]
    categories = read_categories()
    plan = stimulus_plan(len(categories))
    write_stimuli(out, categories, plan)
    for name, model in (('shape', Decoder(0, categories)), ('texture', Decoder(1, categories)),
                        ('mix', Decoder(2, categories)), ('wrong_size', Decoder(0, categories, outputs=10))):
        torch.jit.save(torch.jit.script(model.eval()), os.path.join(out, name + '.pt'))
    with open(os.path.join(out, 'expected.json'), 'w') as f:
        json.dump(expected_mix(categories, plan), f, indent=1)


if __name__ == '__main__':
    main()
