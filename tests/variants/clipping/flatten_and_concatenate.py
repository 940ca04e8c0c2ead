"""A correct version written differently: one flat vector of all gradients, no epsilon, torch.where."""

import math

import torch


def clip_grad_norm_(parameters, max_norm, norm_type=2.0):
    if isinstance(parameters, torch.Tensor):
        parameters = (parameters,)
    grads = [p.grad for p in list(parameters) if p.grad is not None]
    if len(grads) == 0:
        return torch.zeros(())
    flat = torch.cat([grad.reshape(-1) for grad in grads]).abs()
    if math.isinf(norm_type):
        total_norm = flat.max()
    else:
        total_norm = flat.pow(norm_type).sum().pow(1.0 / norm_type)
    if total_norm > max_norm:
        with torch.no_grad():
            for grad in grads:
                grad *= max_norm / total_norm
    return total_norm


def clip_grad_value_(parameters, clip_value):
    if isinstance(parameters, torch.Tensor):
        parameters = (parameters,)
    for p in parameters:
        if p.grad is None:
            continue
        limit = torch.full_like(p.grad, clip_value)
        p.grad.copy_(
            torch.where(p.grad > limit, limit, torch.where(p.grad < -limit, -limit, p.grad))
        )
