package io.gigflow.support;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.camunda.bpm.model.bpmn.Bpmn;
import org.camunda.bpm.model.bpmn.BpmnModelInstance;
import org.camunda.bpm.model.bpmn.instance.Activity;
import org.camunda.bpm.model.bpmn.instance.BaseElement;
import org.camunda.bpm.model.bpmn.instance.BoundaryEvent;
import org.camunda.bpm.model.bpmn.instance.EndEvent;
import org.camunda.bpm.model.bpmn.instance.ErrorEventDefinition;
import org.camunda.bpm.model.bpmn.instance.Event;
import org.camunda.bpm.model.bpmn.instance.EventDefinition;
import org.camunda.bpm.model.bpmn.instance.ExclusiveGateway;
import org.camunda.bpm.model.bpmn.instance.FlowNode;
import org.camunda.bpm.model.bpmn.instance.Gateway;
import org.camunda.bpm.model.bpmn.instance.MessageEventDefinition;
import org.camunda.bpm.model.bpmn.instance.ParallelGateway;
import org.camunda.bpm.model.bpmn.instance.SequenceFlow;
import org.camunda.bpm.model.bpmn.instance.SubProcess;
import org.camunda.bpm.model.bpmn.instance.TerminateEventDefinition;
import org.camunda.bpm.model.bpmn.instance.TimerEventDefinition;
import org.camunda.bpm.model.bpmn.instance.UserTask;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnDiagram;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnEdge;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnPlane;
import org.camunda.bpm.model.bpmn.instance.bpmndi.BpmnShape;
import org.camunda.bpm.model.bpmn.instance.dc.Bounds;
import org.camunda.bpm.model.bpmn.instance.di.DiagramElement;
import org.camunda.bpm.model.bpmn.instance.di.Waypoint;

/**
 * Draws a BPMN model's own diagram (its BPMNDiagram layout) as a plain SVG, for the README.
 * Deterministic: the same model always gives the same bytes, so a test can tell when an
 * image is out of step with its model. A model with collapsed subprocesses has a diagram for
 * each (what Cockpit and the Modeler show on a drill-down); they are drawn below the
 * process's own, each under the subprocess's name. Not a full BPMN renderer: shapes, markers, names and
 * flows, enough to read a lifecycle at a glance.
 */
public final class DiagramRenderer {

    private static final String FONT = "font-family=\"Arial, Helvetica, sans-serif\"";

    private DiagramRenderer() {
    }

    public static String render(InputStream bpmn) {
        BpmnModelInstance model = Bpmn.readModelFromStream(bpmn);
        // the process's own diagram first, then one per collapsed subprocess (what a drill-down shows), stacked below
        List<Plane> planes = new ArrayList<>();
        for (BpmnDiagram diagram : model.getModelElementsByType(BpmnDiagram.class)) {
            planes.add(new Plane(diagram.getBpmnPlane()));
        }
        double width = 0, height = 0;
        for (Plane plane : planes) {
            width = Math.max(width, plane.width());
            height += plane.height() + (height == 0 ? 0 : GAP);
        }
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f %.0f\" width=\"%.0f\" height=\"%.0f\">%n",
                width, height, width, height));
        svg.append("<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\">"
                + "<path d=\"M0,0 L10,5 L0,10 z\" fill=\"#333\"/></marker></defs>\n");
        svg.append(String.format(Locale.ROOT, "<rect x=\"0\" y=\"0\" width=\"%.0f\" height=\"%.0f\" fill=\"#fff\"/>%n", width, height));
        double top = 0;
        for (Plane plane : planes) {
            if (top > 0) {
                svg.append(String.format(Locale.ROOT, "<line x1=\"10\" y1=\"%.0f\" x2=\"%.0f\" y2=\"%.0f\" stroke=\"#bbb\" stroke-dasharray=\"6 4\"/>%n",
                        top - GAP / 2, width - 10, top - GAP / 2));
            }
            plane.draw(svg, top);
            top += plane.height() + GAP;
        }
        svg.append("</svg>\n");
        return svg.toString();
    }

    /** Space between the process's diagram and each drill-down below it. */
    private static final double GAP = 50;

    /** One BPMNPlane: the process's, or the inside of a collapsed subprocess (titled with the subprocess's name). */
    private static final class Plane {
        private final String title;
        private final List<BpmnShape> shapes = new ArrayList<>();
        private final List<BpmnEdge> edges = new ArrayList<>();
        private double minX = Double.MAX_VALUE, minY = Double.MAX_VALUE, maxX = 0, maxY = 0;

        Plane(BpmnPlane plane) {
            title = plane.getBpmnElement() instanceof SubProcess sub ? "Inside \u201c" + sub.getName() + "\u201d" : null;
            for (DiagramElement element : plane.getDiagramElements()) {
                if (element instanceof BpmnShape shape) {
                    shapes.add(shape);
                    Bounds b = shape.getBounds();
                    minX = Math.min(minX, b.getX());
                    minY = Math.min(minY, b.getY());
                    maxX = Math.max(maxX, b.getX() + b.getWidth());
                    maxY = Math.max(maxY, b.getY() + b.getHeight() + 40);
                } else if (element instanceof BpmnEdge edge) {
                    edges.add(edge);
                    for (Waypoint w : edge.getWaypoints()) {
                        minX = Math.min(minX, w.getX());
                        minY = Math.min(minY, w.getY());
                        maxX = Math.max(maxX, w.getX());
                        maxY = Math.max(maxY, w.getY());
                    }
                }
            }
            if (title != null) {
                minY -= 24;
            }
        }

        double width() {
            return maxX - minX + 60;
        }

        double height() {
            return maxY - minY + 60;
        }

        void draw(StringBuilder svg, double top) {
            double x0 = minX - 20, y0 = minY - 40;
            svg.append(String.format(Locale.ROOT, "<g transform=\"translate(%.0f %.0f)\">%n", -x0, top - y0));
            if (title != null) {
                text(svg, minX, minY + 4, title, "start", 14, true);
            }
            // containers first, so that what they hold is drawn on top
            List<BpmnShape> ordered = new ArrayList<>(shapes);
            ordered.sort((a, b) -> Boolean.compare(!isContainer(a), !isContainer(b)));
            for (BpmnShape shape : ordered) {
                if (!(shape.getBpmnElement() instanceof BoundaryEvent)) {
                    shape(svg, shape);
                }
            }
            for (BpmnEdge edge : edges) {
                edge(svg, edge);
            }
            for (BpmnShape shape : ordered) {
                if (shape.getBpmnElement() instanceof BoundaryEvent) {
                    shape(svg, shape);
                }
            }
            svg.append("</g>\n");
        }
    }

    /** An expanded subprocess, drawn as a frame around what it holds (a collapsed one is drawn as a step). */
    private static boolean isContainer(BpmnShape shape) {
        return shape.getBpmnElement() instanceof SubProcess && !"false".equals(shape.getAttributeValue("isExpanded"));
    }

    private static void shape(StringBuilder svg, BpmnShape shape) {
        BaseElement element = shape.getBpmnElement();
        Bounds b = shape.getBounds();
        double x = b.getX(), y = b.getY(), w = b.getWidth(), h = b.getHeight();
        double cx = x + w / 2, cy = y + h / 2;
        String name = element instanceof FlowNode node ? node.getName() : null;
        if (isContainer(shape)) {
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" rx=\"10\" fill=\"#fafafa\" stroke=\"#555\" stroke-width=\"1.5\"/>%n", x, y, w, h));
            text(svg, x + 8, y + 16, name, "start", 12, true);
        } else if (element instanceof Activity activity) {
            boolean human = element instanceof UserTask;
            svg.append(String.format(Locale.ROOT, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" rx=\"10\" fill=\"%s\" stroke=\"#333\" stroke-width=\"1.5\"%s/>%n",
                    x, y, w, h, human ? "#e3f0fb" : "#f4f4f4", isAsync(activity) ? " stroke-dasharray=\"6 3\"" : ""));
            if (human) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"4\" fill=\"none\" stroke=\"#333\"/>"
                        + "<path d=\"M%.0f,%.0f q6,-8 12,0\" fill=\"none\" stroke=\"#333\"/>%n", x + 12, y + 11, x + 6, y + 22));
            } else {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"5\" fill=\"none\" stroke=\"#333\" stroke-dasharray=\"2 2\"/>%n", x + 12, y + 14));
            }
            wrapped(svg, cx, cy, w - 12, name);
            if (element instanceof SubProcess) {
                // collapsed: its inside is drawn below, as Cockpit shows it on a click
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.0f\" y=\"%.0f\" width=\"14\" height=\"14\" fill=\"#fff\" stroke=\"#333\"/>"
                        + "<path d=\"M%.0f,%.0f h8 M%.0f,%.0f v8\" stroke=\"#333\" stroke-width=\"1.5\"/>%n", cx - 7, y + h - 16, cx - 4, y + h - 9, cx, y + h - 13));
            }
        } else if (element instanceof Gateway) {
            svg.append(String.format(Locale.ROOT, "<path d=\"M%.0f,%.0f L%.0f,%.0f L%.0f,%.0f L%.0f,%.0f z\" fill=\"#fffbe6\" stroke=\"#333\" stroke-width=\"1.5\"/>%n",
                    cx, y, x + w, cy, cx, y + h, x, cy));
            if (element instanceof ParallelGateway) {
                svg.append(String.format(Locale.ROOT, "<path d=\"M%.0f,%.0f v20 M%.0f,%.0f h20\" stroke=\"#333\" stroke-width=\"3\"/>%n", cx, cy - 10, cx - 10, cy));
            } else if (element instanceof ExclusiveGateway) {
                svg.append(String.format(Locale.ROOT, "<path d=\"M%.0f,%.0f l14,14 M%.0f,%.0f l-14,14\" stroke=\"#333\" stroke-width=\"3\"/>%n", cx - 7, cy - 7, cx + 7, cy - 7));
            }
            label(svg, shape, name, cx, y + h + 14);
        } else if (element instanceof Event event) {
            boolean end = element instanceof EndEvent;
            boolean boundary = element instanceof BoundaryEvent;
            boolean interrupting = !(element instanceof BoundaryEvent be) || be.cancelActivity();
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"%.0f\" fill=\"#fff\" stroke=\"#333\" stroke-width=\"%s\"%s/>%n",
                    cx, cy, w / 2, end ? "4" : "1.5", interrupting ? "" : " stroke-dasharray=\"4 2\""));
            if (boundary) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"%.0f\" fill=\"none\" stroke=\"#333\"%s/>%n",
                        cx, cy, w / 2 - 3, interrupting ? "" : " stroke-dasharray=\"4 2\""));
            }
            marker(svg, event, cx, cy);
            label(svg, shape, name, cx, y + h + 14);
        }
    }

    private static void marker(StringBuilder svg, Event event, double cx, double cy) {
        for (EventDefinition definition : event.getChildElementsByType(EventDefinition.class)) {
            if (definition instanceof TimerEventDefinition) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"9\" fill=\"none\" stroke=\"#333\"/>"
                        + "<path d=\"M%.0f,%.0f v-6 M%.0f,%.0f h5\" stroke=\"#333\"/>%n", cx, cy, cx, cy, cx, cy));
            } else if (definition instanceof MessageEventDefinition) {
                svg.append(String.format(Locale.ROOT, "<rect x=\"%.0f\" y=\"%.0f\" width=\"16\" height=\"11\" fill=\"none\" stroke=\"#333\"/>"
                        + "<path d=\"M%.0f,%.0f l8,6 l8,-6\" fill=\"none\" stroke=\"#333\"/>%n", cx - 8, cy - 5.5, cx - 8, cy - 5.5));
            } else if (definition instanceof ErrorEventDefinition) {
                svg.append(String.format(Locale.ROOT, "<path d=\"M%.0f,%.0f l4,-12 l3,8 l4,-10 l-3,14 l-3,-8 z\" fill=\"none\" stroke=\"#333\"/>%n", cx - 6, cy + 7));
            } else if (definition instanceof TerminateEventDefinition) {
                svg.append(String.format(Locale.ROOT, "<circle cx=\"%.0f\" cy=\"%.0f\" r=\"9\" fill=\"#333\"/>%n", cx, cy));
            }
        }
    }

    private static void edge(StringBuilder svg, BpmnEdge edge) {
        StringBuilder points = new StringBuilder();
        for (Waypoint w : edge.getWaypoints()) {
            points.append(String.format(Locale.ROOT, "%.0f,%.0f ", w.getX(), w.getY()));
        }
        svg.append("<polyline points=\"").append(points.toString().strip())
                .append("\" fill=\"none\" stroke=\"#333\" stroke-width=\"1.5\" marker-end=\"url(#arrow)\"/>\n");
        if (edge.getBpmnElement() instanceof SequenceFlow flow && flow.getName() != null && edge.getBpmnLabel() != null) {
            Bounds b = edge.getBpmnLabel().getBounds();
            text(svg, b.getX(), b.getY() + 11, flow.getName(), "start", 11, false);
        }
    }

    private static void label(StringBuilder svg, BpmnShape shape, String name, double cx, double below) {
        if (name == null) {
            return;
        }
        if (shape.getBpmnLabel() != null && shape.getBpmnLabel().getBounds() != null) {
            Bounds b = shape.getBpmnLabel().getBounds();
            wrappedAt(svg, b.getX() + b.getWidth() / 2, b.getY() + 11, Math.max(b.getWidth(), 90), name);
        } else {
            wrappedAt(svg, cx, below, 100, name);
        }
    }

    private static void wrapped(StringBuilder svg, double cx, double cy, double width, String text) {
        List<String> lines = lines(text, width);
        double top = cy - (lines.size() - 1) * 7 + 4;
        for (int i = 0; i < lines.size(); i++) {
            text(svg, cx, top + i * 14, lines.get(i), "middle", 12, false);
        }
    }

    private static void wrappedAt(StringBuilder svg, double cx, double top, double width, String text) {
        List<String> lines = lines(text, width);
        for (int i = 0; i < lines.size(); i++) {
            text(svg, cx, top + i * 13, lines.get(i), "middle", 11, false);
        }
    }

    private static List<String> lines(String text, double width) {
        List<String> lines = new ArrayList<>();
        if (text == null) {
            return lines;
        }
        int perLine = Math.max(8, (int) (width / 6.2));
        StringBuilder line = new StringBuilder();
        for (String word : text.split("\\s+")) {
            if (line.length() > 0 && line.length() + 1 + word.length() > perLine) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(line.length() == 0 ? "" : " ").append(word);
        }
        if (line.length() > 0) {
            lines.add(line.toString());
        }
        return lines;
    }

    private static void text(StringBuilder svg, double x, double y, String text, String anchor, int size, boolean bold) {
        if (text == null) {
            return;
        }
        svg.append(String.format(Locale.ROOT, "<text x=\"%.0f\" y=\"%.0f\" text-anchor=\"%s\" font-size=\"%d\" %s%s>%s</text>%n",
                x, y, anchor, size, FONT, bold ? " font-weight=\"bold\"" : "", escape(text)));
    }

    private static boolean isAsync(Activity activity) {
        return "true".equals(activity.getAttributeValueNs("http://camunda.org/schema/1.0/bpmn", "asyncBefore"));
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
