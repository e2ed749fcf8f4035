"""What the app's Line-API panes share."""

from __future__ import annotations

from textual.geometry import Size


class SteadyScrollbar:
    """For a ``ScrollView`` that sets its own virtual size (from its rows or lines).

    ``set_virtual_height`` changes the scroll range without a layout of the screen: setting
    the ``virtual_size`` reactive lays out every widget again (on a key that shows a new
    paper or a new view, two extra frames, 25-90 ms). The pane's own size never depends on
    its content, so only its scrollbar needs drawing again. (When the scrollbar appears or
    goes, Textual's ``show_vertical_scrollbar`` still asks for the layout that needs.)

    Textual's ScrollView compares the layout's virtual size (the content region) with the one
    the widget set; they never match, so every screen layout (each key that updates the
    detail pane) redrew the whole scrollbar: a third of a key's cost. The scrollbar is
    updated only when the size, the virtual size or the container really changed."""

    _sized: tuple | None = None

    def set_virtual_height(self, width: int, height: int) -> None:
        size = Size(width, height)
        if size != self.virtual_size:
            self.set_reactive(type(self).virtual_size, size)
            self._scroll_update(size)

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        state = (size, self.virtual_size, container_size)
        if state == self._sized:
            return False
        self._sized = state
        return super()._size_updated(size, virtual_size, container_size, layout)
