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


class SGD(Optimizer):
    def __init__(self, params, lr=0.001, *args, **kwargs):
        Optimizer.__init__(self, params, dict(kwargs, lr=lr))


class Adam(Optimizer):
    def __init__(self, params, lr=0.001, *args, **kwargs):
        Optimizer.__init__(self, params, dict(kwargs, lr=lr))


class AdamW(Adam):
    pass


class RAdam(Adam):
    pass


class Adamax(Optimizer):
    def __init__(self, params, lr=0.002, *args, **kwargs):
        Optimizer.__init__(self, params, dict(kwargs, lr=lr))


class NAdam(Adamax):
    pass


class Adadelta(Optimizer):
    def __init__(self, params, lr=1.0, *args, **kwargs):
        Optimizer.__init__(self, params, dict(kwargs, lr=lr))


class LBFGS(Adadelta):
    pass


class Adagrad(Optimizer):
    def __init__(self, params, lr=0.01, *args, **kwargs):
        Optimizer.__init__(self, params, dict(kwargs, lr=lr))


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
