// torch.optim's optimizers as driver code uses them around a model, written in Python (part of the library prelude).

/**
 * An optimizer keeps its param groups (each with the defaults filled in, `lr` among them) and
 * changes no shape; step(closure) calls the closure as PyTorch does (LBFGS-style training runs
 * the model there).
 */
export const OPTIM_PRELUDE_SOURCE = `
class Optimizer:
    def __init__(self, params, defaults):
        self.defaults = defaults
        self.state = {}
        self.param_groups = []
        if isinstance(params, torch.Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor")
        groups = list(params) if isinstance(params, list) or isinstance(params, tuple) else [params]
        if len(groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(groups[0], dict):
            groups = [{"params": params}]
        for group in groups:
            self.add_param_group(group)

    def add_param_group(self, param_group):
        group = dict(self.defaults)
        group.update(param_group)
        for name, default in self.defaults.items():
            if default is _required and group[name] is _required:
                raise ValueError("parameter group didn't specify a value of required optimization parameter " + name)
        self.param_groups.append(group)

    def zero_grad(self, set_to_none=False):
        pass

    def step(self, closure=None):
        loss = None
        if closure is not None:
            loss = closure()
        return loss

    def state_dict(self):
        return {"state": self.state, "param_groups": self.param_groups}

    def load_state_dict(self, state_dict):
        pass


class _Required:
    def __repr__(self):
        return "<required parameter>"


_required = _Required()


class _WithLr(Optimizer):
    """An optimizer whose defaults other than lr change no shape; _lr is PyTorch 1.13's default lr."""

    _lr = _required

    def __init__(self, params, lr=None, *args, **kwargs):
        Optimizer.__init__(self, params, dict(kwargs, lr=self._lr if lr is None else lr))


class SGD(_WithLr):
    pass


class Adam(_WithLr):
    _lr = 0.001


class AdamW(Adam):
    pass


class RAdam(Adam):
    pass


class Adamax(_WithLr):
    _lr = 0.002


class NAdam(Adamax):
    pass


class Adadelta(_WithLr):
    _lr = 1.0


class LBFGS(Adadelta):
    pass


class Adagrad(_WithLr):
    _lr = 0.01


class RMSprop(Adagrad):
    pass


class ASGD(Adagrad):
    pass


class Rprop(Adagrad):
    pass
`;

/** The names torch.optim takes from it. */
export const OPTIM_EXPORTS: Readonly<Record<string, readonly string[]>> = {
  "torch.optim": ["Optimizer", "SGD", "Adam", "AdamW", "RAdam", "Adamax", "NAdam", "Adadelta", "LBFGS", "Adagrad", "RMSprop", "ASGD", "Rprop"],
};
