/*
 * The area editor's picture: the lines or zones of the model drawn in SVG over the camera picture
 * (handles, the "in" arrow of a line, the zone or line being drawn). Draws only: the model
 * (area-model.js) holds the shapes, area-input.js turns the pointer and keys into changes.
 * Shapes are drawn in picture pixels (the SVG's viewBox is the picture), with strokes and handles
 * scaled by `k` (picture pixels per screen pixel) so they keep their size on screen.
 */
(function () {
  'use strict';
  const ns = (window.StoreAnalyticsAreas = window.StoreAnalyticsAreas || {});
  const SVG = 'http://www.w3.org/2000/svg';
  const COLOURS = ['#e0664b', '#2ca02c', '#1f77b4', '#ff7f0e', '#9467bd', '#17becf', '#d62728', '#bcbd22'];
  const colourOf = (i) => COLOURS[i % COLOURS.length];

  function el(tag, attrs, parent) {
    const e = document.createElementNS(SVG, tag);
    for (const k of Object.keys(attrs || {})) e.setAttribute(k, attrs[k]);
    if (parent) parent.appendChild(e);
    return e;
  }

  /**
   * Draws the model: `parts` are { view, stage, svg } (jQuery, jQuery, the SVG element), `size` the
   * picture's { width, height }, `scale()` its picture pixels per screen pixel once laid out.
   */
  function render(parts, model, size, scale) {
    const { view, stage, svg } = parts;
    const toPx = (p) => ns.model.toPx(p, size);
    svg.setAttribute('viewBox', '0 0 ' + size.width + ' ' + size.height);
    // The whole picture in view: at most a little over half the window's height.
    const ratio = size.width / size.height;
    stage.css('aspect-ratio', size.width + ' / ' + size.height);
    view.css('max-width', 'calc(58vh * ' + ratio.toFixed(4) + ')');
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const k = scale();
    model.shapes.forEach((s, i) => drawShape(svg, model, s, i, k, toPx));
    if (model.draft) drawDraft(svg, model, k, size, toPx);
  }

  function drawShape(svg, model, s, i, k, toPx) {
    const colour = colourOf(i);
    const chosen = i === model.selected;
    const g = el('g', { class: 'sa-shape' + (chosen ? ' sa-selected' : '') }, svg);
    const pts = model.pointsOf(s).map(toPx);
    if (model.isLines) {
      const [a, b] = pts;
      const line = { x1: a[0], y1: a[1], x2: b[0], y2: b[1], 'data-shape': i, class: 'sa-body' };
      // A dark halo (also the grip: a line is easy to catch) under the coloured line.
      el(
        'line',
        { ...line, stroke: '#000', 'stroke-opacity': chosen ? 0.6 : 0.4, 'stroke-width': 11 * k },
        g,
      );
      el('line', { ...line, stroke: colour, 'stroke-width': (chosen ? 4.5 : 3.5) * k }, g);
      drawArrow(g, a, b, colour, k);
    } else {
      el(
        'polygon',
        {
          points: pts.map((p) => p.join(',')).join(' '),
          fill: colour,
          'fill-opacity': chosen ? 0.38 : 0.22,
          stroke: colour,
          'stroke-width': (chosen ? 3.5 : 2.5) * k,
          'stroke-linejoin': 'round',
          class: 'sa-body',
          'data-shape': i,
        },
        g,
      );
    }
    const label = el(
      'text',
      { x: pts[0][0] + 9 * k, y: pts[0][1] - 9 * k, 'font-size': 15 * k, class: 'sa-label' },
      g,
    );
    label.textContent = s.name + (s.queue ? ' (queue)' : '');
    pts.forEach((p, j) => {
      const on = chosen && j === model.selectedPoint;
      el(
        'circle',
        {
          cx: p[0],
          cy: p[1],
          r: (on ? 8 : 6) * k,
          fill: on ? '#fff' : colour,
          stroke: on ? colour : '#fff',
          'stroke-width': (on ? 3 : 2) * k,
          class: 'sa-handle',
          'data-shape': i,
          'data-point': j,
        },
        g,
      );
    });
  }

  /** The "in" arrow: across the line's middle, pointing to the side where cross(to - from, p - from) < 0. */
  function drawArrow(g, a, b, colour, k) {
    const dx = b[0] - a[0];
    const dy = b[1] - a[1];
    const length = Math.hypot(dx, dy) || 1;
    const n = [dy / length, -dx / length]; // cross(d, n) = -(dx² + dy²) / length < 0: the "in" side
    const m = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
    const start = [m[0] - n[0] * 24 * k, m[1] - n[1] * 24 * k];
    const tip = [m[0] + n[0] * 34 * k, m[1] + n[1] * 34 * k];
    const side = [-n[1] * 10 * k, n[0] * 10 * k];
    const back = [tip[0] - n[0] * 16 * k, tip[1] - n[1] * 16 * k];
    const head = [tip, [back[0] + side[0], back[1] + side[1]], [back[0] - side[0], back[1] - side[1]]];
    const points = head.map((p) => p.join(',')).join(' ');
    const shaft = { x1: start[0], y1: start[1], x2: back[0], y2: back[1], class: 'sa-arrow' };
    el('line', { ...shaft, stroke: '#000', 'stroke-opacity': 0.5, 'stroke-width': 6 * k }, g);
    el(
      'polygon',
      {
        points,
        fill: '#000',
        'fill-opacity': 0.5,
        stroke: '#000',
        'stroke-opacity': 0.5,
        'stroke-width': 3 * k,
        class: 'sa-arrow',
      },
      g,
    );
    el('line', { ...shaft, stroke: colour, 'stroke-width': 3 * k }, g);
    el('polygon', { points, fill: colour, class: 'sa-arrow sa-in-arrow' }, g);
    // "in" beyond the tip, centred on the arrow's axis.
    const t = el(
      'text',
      {
        x: tip[0] + n[0] * 14 * k,
        y: tip[1] + n[1] * 14 * k,
        'font-size': 14 * k,
        'text-anchor': 'middle',
        'dominant-baseline': 'central',
        class: 'sa-label',
      },
      g,
    );
    t.textContent = 'in';
  }

  function drawDraft(svg, model, k, size, toPx) {
    const draft = model.draft;
    const pts = draft.points.map(toPx);
    if (draft.cursor) pts.push(toPx(draft.cursor));
    const dashed = { stroke: '#fff', 'stroke-dasharray': 8 * k, class: 'sa-draft' };
    if (model.isLines) {
      if (pts.length >= 2) {
        const ends = { x1: pts[0][0], y1: pts[0][1], x2: pts[1][0], y2: pts[1][1] };
        el(
          'line',
          { ...ends, stroke: '#000', 'stroke-opacity': 0.5, 'stroke-width': 6 * k, class: 'sa-draft' },
          svg,
        );
        el('line', { ...ends, ...dashed, 'stroke-width': 3 * k }, svg);
        // The "in" arrow while dragging: the way it will count is seen before the button is let go.
        if (Math.hypot(pts[1][0] - pts[0][0], pts[1][1] - pts[0][1]) > 30 * k) {
          drawArrow(el('g', { class: 'sa-draft', opacity: 0.8 }, svg), pts[0], pts[1], '#fff', k);
        }
      }
      return;
    }
    if (pts.length >= 2) {
      el(
        'polyline',
        { points: pts.map((p) => p.join(',')).join(' '), fill: 'none', ...dashed, 'stroke-width': 2.5 * k },
        svg,
      );
    }
    const closing = draft.points.length >= 3 && draft.cursor && model.nearFirst(draft.cursor, size, 12 * k);
    draft.points.map(toPx).forEach((p, j) =>
      el(
        'circle',
        {
          cx: p[0],
          cy: p[1],
          r: (j === 0 ? (closing ? 11 : 8) : 5) * k,
          fill: j === 0 ? '#fff' : '#ccc',
          stroke: '#000',
          'stroke-width': 1.5 * k,
          class: 'sa-draft',
        },
        svg,
      ),
    );
  }

  ns.drawing = { el, colourOf, render };
})();
