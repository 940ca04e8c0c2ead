"""The learner draws one shift and one flip per batch, as torchvision's v2.RandomCrop does on a batch."""

REPLACE = {
    "        dy = torch.randint(0, 2 * CROP_PADDING + 1, (batch,))\n        dx = torch.randint(0, 2 * CROP_PADDING + 1, (batch,))": "        dy = torch.randint(0, 2 * CROP_PADDING + 1, (1,)).expand(batch)\n        dx = torch.randint(0, 2 * CROP_PADDING + 1, (1,)).expand(batch)",
    "        flip = torch.rand(batch) < 0.5": "        flip = (torch.rand(1) < 0.5).expand(batch)",
}
LOSES = ["test_train_transform_crops_and_flips_each_image_independently"]
