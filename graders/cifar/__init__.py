"""The CIFAR-10 mini challenge's own machinery (the manifest names run.py as its trainer).

data.py     loading and caching CIFAR-10 (torchvision's files or an ImageFolder copy),
            the fixed train/validation split, batch loaders
run.py      the training run `course train cifar_challenge` makes and saves
export.py   the trained model as one torch.export program the grader evaluates
plots.py    curves, confusion matrix and first-layer filters saved beside the run
"""
