/*
 * The area editor's input: the pointer (mouse, pen or touch) and the keys on the picture, turned
 * into changes of the model (area-model.js). Handles and bodies drag; elsewhere draws: a line is
 * dragged out, a zone clicked corner by corner. The dialog (area-editor.js) gives `ui`:
 *   size(), scale()         the picture's size, and its picture pixels per screen pixel
 *   render(), renderPicture() the picture and the list, or the picture only
 *   changed()               after a change of the shapes (writes the setting)
 *   remove(i), removePoint(i, j), added(i)  with the dialog's side of it (a warning, the name field)
 */
(function () {
  'use strict';
  const ns = (window.StoreAnalyticsAreas = window.StoreAnalyticsAreas || {});

  /** Listens on `stage` (jQuery) and `svg`; returns the function that stops listening on the window. */
  function attach(stage, svg, model, ui) {
    let drag = null; // { shape, point (-1: the whole shape), start, original, moved }
    const fromEvent = (e) => ns.model.fromScreen(e.clientX, e.clientY, svg.getBoundingClientRect());

    function closeZone() {
      const i = model.closeDraft();
      if (i < 0) ui.render();
      else ui.added(i);
    }

    svg.addEventListener('pointerdown', (e) => {
      if (e.button !== 0) return;
      e.preventDefault();
      stage[0].focus({ preventScroll: true });
      const target = e.target;
      const at = fromEvent(e);
      const shape = target.getAttribute('data-shape');
      // Shift: always draw (a zone inside another, a line over one).
      if (shape !== null && !model.draft && !e.shiftKey) {
        const i = Number(shape);
        const point = target.getAttribute('data-point');
        model.select(i, point === null ? -1 : Number(point));
        drag = {
          shape: i,
          point: model.selectedPoint,
          start: at,
          original: ns.model.copy(model.shapes[i]),
          moved: false,
        };
        ui.render();
        return;
      }
      if (model.isLines) {
        model.startDraft(at);
        ui.renderPicture();
        return;
      }
      // Zones: each click is a corner; on the first corner it closes the zone.
      if (model.closesDraft(at, ui.size(), 12 * ui.scale())) {
        closeZone();
        return;
      }
      model.addCorner(at);
      ui.renderPicture();
    });
    svg.addEventListener('dblclick', (e) => {
      e.preventDefault();
      if (!model.isLines && model.draft) {
        model.dropDoubleCorner();
        closeZone();
      }
    });

    function onMove(e) {
      if (!model.draft && !drag) return;
      const at = fromEvent(e);
      if (drag) {
        if (drag.point >= 0) model.setPoint(drag.shape, drag.point, at);
        // The whole shape, kept inside the picture.
        else model.moveShape(drag.shape, drag.original, at[0] - drag.start[0], at[1] - drag.start[1]);
        drag.moved = true;
        ui.renderPicture();
        return;
      }
      model.draft.cursor = at;
      ui.renderPicture();
    }
    function onUp(e) {
      if (drag) {
        const moved = drag.moved;
        drag = null;
        if (moved) {
          if (model.collapsed(model.selected)) {
            ui.remove(model.selected); // both ends on one point: no line left
            return;
          }
          ui.changed();
          ui.render();
        }
        return;
      }
      if (model.isLines && model.draft) {
        const from = model.draft.points[0];
        const to = fromEvent(e);
        model.draft = null;
        // A click, not a drag: no line.
        if (ns.model.distancePx(from, to, ui.size()) < 10 * ui.scale()) {
          ui.renderPicture();
          return;
        }
        ui.added(model.addLine(from, to));
      }
    }
    window.addEventListener('pointermove', onMove);
    window.addEventListener('pointerup', onUp);

    svg.addEventListener('contextmenu', (e) => {
      const point = e.target.getAttribute('data-point');
      if (point === null) return;
      e.preventDefault();
      ui.removePoint(Number(e.target.getAttribute('data-shape')), Number(point));
    });
    stage.on('focus', () => stage.addClass('sa-focus')).on('blur', () => stage.removeClass('sa-focus'));
    stage.on('keydown', (e) => {
      const selected = model.selected;
      if (e.key === 'Escape' && (model.draft || drag)) {
        if (drag) {
          model.shapes[drag.shape] = drag.original;
          drag = null;
        }
        model.draft = null;
        ui.render();
      } else if ((e.key === 'Delete' || e.key === 'Backspace') && selected >= 0) {
        if (model.selectedPoint >= 0) ui.removePoint(selected, model.selectedPoint);
        else ui.remove(selected);
      } else if (e.key.startsWith('Arrow') && selected >= 0 && !model.draft && !drag) {
        // Nudge the selected point (or shape) by one picture pixel, ten with Shift.
        const size = ui.size();
        const step = (e.shiftKey ? 10 : 1) / size.width;
        const stepY = (e.shiftKey ? 10 : 1) / size.height;
        const d = {
          ArrowLeft: [-step, 0],
          ArrowRight: [step, 0],
          ArrowUp: [0, -stepY],
          ArrowDown: [0, stepY],
        }[e.key];
        model.nudge(selected, model.selectedPoint, d[0], d[1]);
        ui.changed();
        ui.render();
      } else return;
      e.preventDefault();
      e.stopPropagation();
    });

    return function detach() {
      window.removeEventListener('pointermove', onMove);
      window.removeEventListener('pointerup', onUp);
    };
  }

  ns.input = { attach };
})();
