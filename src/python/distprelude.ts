// torch.distributions as models and their losses use them (Normal, Categorical, Bernoulli, kl_divergence), written in Python (part of the library prelude).

/**
 * A distribution keeps its parameters broadcast to its batch shape: sample/rsample give a tensor of
 * `sample_shape + batch_shape` (Categorical drops the class dim and gives ints), log_prob and
 * entropy give the batch shape, kl_divergence the two batch shapes broadcast.
 */
export const DIST_PRELUDE_SOURCE = `
class Distribution:
    def _extended(self, sample_shape):
        return tuple(sample_shape) + tuple(self.batch_shape)

    def sample(self, sample_shape=()):
        return self.rsample(sample_shape).detach()


class Normal(Distribution):
    def __init__(self, loc, scale, validate_args=None):
        self.loc, self.scale = torch.broadcast_tensors(torch.as_tensor(loc, dtype=torch.float32), torch.as_tensor(scale, dtype=torch.float32))
        self.batch_shape = self.loc.shape

    @property
    def mean(self):
        return self.loc

    @property
    def stddev(self):
        return self.scale

    @property
    def variance(self):
        return self.scale ** 2

    def rsample(self, sample_shape=()):
        eps = torch.randn(self._extended(sample_shape))
        return self.loc + eps * self.scale

    def log_prob(self, value):
        return -((value - self.loc) ** 2) / (2 * self.scale ** 2) - torch.log(self.scale)

    def entropy(self):
        return 0.5 + torch.log(self.scale)


class Bernoulli(Distribution):
    def __init__(self, probs=None, logits=None, validate_args=None):
        self.probs = torch.as_tensor(probs if probs is not None else torch.sigmoid(logits), dtype=torch.float32)
        self.logits = torch.as_tensor(logits if logits is not None else torch.log(self.probs), dtype=torch.float32)
        self.batch_shape = self.probs.shape

    def sample(self, sample_shape=()):
        return torch.zeros(self._extended(sample_shape))

    def log_prob(self, value):
        return -torch.nn.functional.binary_cross_entropy_with_logits(self.logits, value, reduction="none")

    def entropy(self):
        return torch.nn.functional.binary_cross_entropy_with_logits(self.logits, self.probs, reduction="none")


class Categorical(Distribution):
    def __init__(self, probs=None, logits=None, validate_args=None):
        p = probs if probs is not None else logits
        self.logits = torch.log_softmax(torch.as_tensor(p, dtype=torch.float32), -1)
        self.probs = self.logits.exp()
        self.batch_shape = self.logits.shape[:-1]

    def sample(self, sample_shape=()):
        return torch.zeros(self._extended(sample_shape), dtype=torch.int64)

    def log_prob(self, value):
        return self.logits.expand(tuple(value.shape) + (self.logits.shape[-1],)).sum(-1)

    def entropy(self):
        return -(self.logits * self.probs).sum(-1)


def kl_divergence(p, q):
    if isinstance(p, Normal):
        return torch.log(q.scale / p.scale) + (p.scale ** 2 + (p.loc - q.loc) ** 2) / (2 * q.scale ** 2) - 0.5
    return (p.probs * (p.logits - q.logits)).sum(-1)
`;

/** The names torch.distributions takes from it. */
export const DIST_EXPORTS: Readonly<Record<string, readonly string[]>> = {
  "torch.distributions": ["Distribution", "Normal", "Bernoulli", "Categorical", "kl_divergence"],
};
