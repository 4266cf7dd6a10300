// slippy.js: the directory's map over the operator's tiles (config
// tile-url), with Leaflet served by this instance. Loaded only when a tile
// URL is set; the page works without it. It draws the results of the
// page's query (this instance's GeoJSON export, same filters and bbox),
// clustered on a grid, and keeps the "list this area" link on the visible
// area. Keyboard and screen reader users keep the SVG map, which has the
// same links: the Leaflet map is hidden from them.
(function () {
	'use strict';
	var el = document.getElementById('slippy');
	var fig = document.getElementById('map');
	if (!el || !fig || !window.L || !window.fetch) return;
	var d = el.dataset;
	var fills = JSON.parse(d.fills || '{}');
	var cell = 48; // px: points closer than this on screen share a marker

	fetch(d.points, {credentials: 'same-origin'})
		.then(function (r) { return r.ok ? r.json() : Promise.reject(new Error('points: ' + r.status)); })
		.then(show)
		.catch(function () { /* the SVG map stays */ });

	function text(s) { var t = document.createElement('span'); t.textContent = s; return t.innerHTML; }
	function round(x) { return Math.round(x * 1e4) / 1e4; }
	function clamp(x, lo, hi) { return Math.min(hi, Math.max(lo, x)); }
	function listURL(w, s, e, n) {
		w = round(clamp(w, -180, 180)); e = round(clamp(e, -180, 180));
		s = round(clamp(s, -90, 90)); n = round(clamp(n, -90, 90));
		if (w >= e) e = w + 0.0001;
		if (s >= n) n = s + 0.0001;
		return '/directory?' + (d.query ? d.query + '&' : '') + 'bbox=' + [w, s, e, n].join('%2C');
	}

	function show(fc) {
		var pts = [];
		(fc.features || []).forEach(function (f) {
			var c = f.geometry && f.geometry.coordinates, p = f.properties || {};
			if (!c || typeof c[0] !== 'number' || typeof c[1] !== 'number' || !p.url) return;
			pts.push({ll: L.latLng(c[1], c[0]), url: p.url, title: p.title || p.url, kind: p.kind || 'org',
				sector: (p.sectors || [])[0] || ''});
		});
		el.hidden = false;
		fig.classList.add('slippy-on');
		var map = L.map(el, {keyboard: false, scrollWheelZoom: false, maxZoom: 18});
		L.tileLayer(d.tiles, {attribution: text(d.attribution), maxZoom: 18, crossOrigin: false}).addTo(map);
		var b = (d.bbox || '').split(',').map(Number);
		if (b.length === 4 && b.every(isFinite)) {
			map.fitBounds([[b[1], b[0]], [b[3], b[2]]]);
		} else if (pts.length) {
			map.fitBounds(L.latLngBounds(pts.map(function (p) { return p.ll; })), {maxZoom: 12, padding: [24, 24]});
		} else {
			map.fitBounds([[35, -11], [70, 32]]);
		}
		var layer = L.layerGroup().addTo(map);
		var area = document.getElementById('slippy-area');
		function redraw() {
			layer.clearLayers();
			cluster(map, pts).forEach(function (g) { layer.addLayer(marker(map, g)); });
			if (area) {
				var v = map.getBounds();
				area.href = listURL(v.getWest(), v.getSouth(), v.getEast(), v.getNorth());
				area.hidden = false;
			}
		}
		map.on('zoomend moveend', redraw);
		redraw();
		// The map is for pointers; keyboards use the SVG map and its links.
		el.setAttribute('aria-hidden', 'true');
		el.querySelectorAll('a, [tabindex]').forEach(function (a) { a.tabIndex = -1; });
	}

	// cluster joins each point to the first group whose first point is
	// less than a cell away on screen, else starts a group: group markers
	// are then at least a cell apart. A grid of cells finds the neighbours.
	function cluster(map, pts) {
		var z = map.getZoom(), grid = {}, groups = [];
		pts.forEach(function (p) {
			var xy = map.project(p.ll, z), cx = Math.floor(xy.x / cell), cy = Math.floor(xy.y / cell), found = null;
			for (var dx = -1; dx <= 1 && !found; dx++) {
				for (var dy = -1; dy <= 1 && !found; dy++) {
					(grid[(cx + dx) + ':' + (cy + dy)] || []).some(function (g) {
						if (g.xy.distanceTo(xy) < cell) found = g;
						return found;
					});
				}
			}
			if (found) {
				found.pts.push(p);
				return;
			}
			var g = {xy: xy, pts: [p]};
			groups.push(g);
			(grid[cx + ':' + cy] = grid[cx + ':' + cy] || []).push(g);
		});
		return groups.map(function (g) { return g.pts; });
	}

	function marker(map, g) {
		var first = g[0], bounds = L.latLngBounds(g.map(function (p) { return p.ll; }));
		var sector = g.every(function (p) { return p.sector === first.sector; }) ? first.sector : '';
		var a = document.createElement('a');
		a.className = 'slippy-marker kind-' + (g.length === 1 ? first.kind : 'cluster');
		a.tabIndex = -1;
		a.dataset.count = g.length;
		a.style.backgroundColor = fills[sector] || fills[''];
		if (g.length === 1) {
			a.href = first.url;
			a.title = first.title;
		} else {
			a.href = listURL(bounds.getWest() - 0.002, bounds.getSouth() - 0.002, bounds.getEast() + 0.002, bounds.getNorth() + 0.002);
			a.title = d.cluster.replace('0', g.length);
			a.textContent = g.length;
			var spread = !bounds.getSouthWest().equals(bounds.getNorthEast());
			a.addEventListener('click', function (e) {
				// Zoom while zooming can split the cluster; else list them.
				if (spread && map.getZoom() < map.getMaxZoom()) {
					e.preventDefault();
					map.fitBounds(bounds, {padding: [cell, cell]});
				}
			});
		}
		var n = g.length;
		var size = n === 1 ? 28 : n < 10 ? 32 : n < 100 ? 38 : 44;
		return L.marker(first.ll, {keyboard: false, title: '', alt: '',
			icon: L.divIcon({html: a, className: 'slippy-icon', iconSize: [size, size]})});
	}
})();
