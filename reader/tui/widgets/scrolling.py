"""What the app's Line-API panes share."""

from __future__ import annotations

from textual.geometry import Size


class SteadyScrollbar:
    """For a ``ScrollView`` that sets its own virtual size (from its rows or lines).

    Textual's ScrollView compares the layout's virtual size (the content region) with the one
    the widget set; they never match, so every screen layout (each key that updates the
    detail pane) redrew the whole scrollbar: a third of a key's cost. The scrollbar is
    updated only when the size, the virtual size or the container really changed."""

    _sized: tuple | None = None

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        state = (size, self.virtual_size, container_size)
        if state == self._sized:
            return False
        self._sized = state
        return super()._size_updated(size, virtual_size, container_size, layout)
